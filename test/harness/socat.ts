/** A socat pty pair standing in for a serial cable. `restart()` brings the same link paths back (unplug/replug). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { openSync, closeSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Link to one pty end (open this with FieldKit). */
  a: string;
  /** Link to the other end (drive it from the test). */
  b: string;
  /** Pid of the running socat; changes after `restart()`. */
  pid: number;
  /** Kills socat (the cable is "unplugged"); the links disappear. */
  unplug(): Promise<void>;
  /** Starts socat again on the same link paths ("replug"). */
  restart(): Promise<void>;
  /** Kills socat and removes the temp dir. */
  stop(): Promise<void>;
}

export interface PtyPairOptions {
  /** Directory for the links; a fresh temp dir (removed by stop()) when omitted. */
  dir?: string;
  /**
   * Keep an idle descriptor on both ends (default true) so a peer closing its end (e.g. `rx` exiting) does not
   * make socat see EOF and end the pair. The descriptors never read, so they take no bytes away.
   */
  holdOpen?: boolean;
  startTimeoutMs?: number;
}

const exists = (p: string) => access(p).then(() => true, () => false);

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, proc?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (proc && proc.exitCode !== null) throw new Error(`socat exited (${proc.exitCode}) before ${what}`);
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function killAndWait(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 2000).unref();
  });
}

export async function startPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'fk-pty-')));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const timeout = opts.startTimeoutMs ?? 5000;
  let proc: ChildProcess | undefined;
  let held: number[] = [];
  const release = () => {
    for (const fd of held) closeSync(fd);
    held = [];
  };

  const launch = async () => {
    const p = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', () => undefined);
    proc = p;
    try {
      await waitFor(async () => /starting data transfer loop/.test(stderr) && (await exists(a)) && (await exists(b)), timeout, 'pty links', p);
    } catch (err) {
      await killAndWait(p);
      throw new Error(`${(err as Error).message}: ${stderr.trim().split('\n').pop() ?? ''}`, { cause: err });
    }
    if (opts.holdOpen !== false) held = [a, b].map((p) => openSync(p, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK));
  };

  const unplug = async () => {
    release();
    if (proc) await killAndWait(proc);
    await waitFor(async () => !(await exists(a)) && !(await exists(b)), timeout, 'pty links removed');
  };

  await launch();
  const pair: PtyPair = {
    a,
    b,
    get pid() {
      return proc?.pid ?? -1;
    },
    unplug,
    restart: async () => {
      await unplug();
      await launch();
    },
    stop: async () => {
      release();
      if (proc) await killAndWait(proc);
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
  return pair;
}
