/** Ways to start the log index's own process (index-process.ts) and talk to it. */
import { fork } from 'node:child_process';
import type { IndexReply, IndexRequest } from './index-protocol.js';

/** The index's process as IndexClient drives it. */
export interface IndexProcess {
  readonly pid: number | undefined;
  send(request: IndexRequest): void;
  onMessage(listener: (reply: IndexReply) => void): void;
  /** Called once, when the process has ended or could not start. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

/** Starts index-process.js: Node's fork (browser mode, CLI, tests) or Electron's utilityProcess (the app). */
export type LaunchIndexProcess = (entry: string, options: { env: Record<string, string>; execArgv: string[] }) => IndexProcess;

/**
 * What the index process adds to its environment: glibc keeps at most two malloc arenas (one per thread otherwise,
 * each keeping what its thread freed). On the bench's million lines its peak RSS was about 15 MB lower, ingest the
 * same (docs/INDEX.md). Electron's processes allocate through PartitionAlloc, which does not read it.
 */
export const INDEX_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' };

export const forkIndexProcess: LaunchIndexProcess = (entry, { env, execArgv }) => {
  const child = fork(entry, [], { env, execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    pid: child.pid,
    // a request sent as the process dies fails with it: its exit rejects every pending call
    send: (request) => void child.send(request, () => {}),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => {
      let ended = false;
      const end = (reason: string) => {
        if (!ended) listener(reason);
        ended = true;
      };
      child.once('error', (error) => end(error.message));
      child.once('exit', (code, signal) => end(signal ? `signal ${signal}` : `code ${code}`));
    },
    kill: () => void child.kill(),
  };
};

/** Electron's `utilityProcess`, as far as the index uses it (injected by electron/main: services never import electron). */
export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args: string[],
    options: { env: Record<string, string>; execArgv: string[]; serviceName: string; stdio: 'inherit' },
  ): {
    readonly pid: number | undefined;
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: IndexReply) => void): unknown;
    once(event: 'exit', listener: (code: number) => void): unknown;
    kill(): boolean;
  };
}

/** The app's launcher: the packaged app cannot fork Node (its runAsNode fuse is off), a utility process it can. */
export function utilityProcessLauncher(utilityProcess: UtilityProcessLike): LaunchIndexProcess {
  return (entry, { env, execArgv }) => {
    const child = utilityProcess.fork(entry, [], { env, execArgv, serviceName: 'FieldKit log index', stdio: 'inherit' });
    return {
      pid: child.pid,
      send: (request) => child.postMessage(request),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.once('exit', (code) => listener(`code ${code}`)),
      kill: () => void child.kill(),
    };
  };
}
