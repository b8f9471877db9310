import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { clusterError } from './api-errors.js';
import { KubeApiError } from './kube-http.js';

export interface ExecExit {
  code: number | null;
  message?: string;
}

/** Terminal output with a size: client-node sends its size and every resize on the exec's resize channel. */
class TerminalOutput extends Writable {
  constructor(
    private readonly onData: (data: Buffer) => void,
    public columns: number,
    public rows: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.onData(chunk);
    done();
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** `NonZeroExitCode` carries the code as a cause; anything else that is not Success is told as a message. */
function exitOf(status: V1Status): ExecExit {
  if (status.status === 'Success') return { code: 0 };
  const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message);
  return Number.isInteger(code) ? { code } : { code: null, message: status.message ?? status.reason ?? 'the command failed' };
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  cols: number;
  rows: number;
}

/** A command in a container on a TTY, over the API's WebSocket channel protocol (client-node's Exec). */
export class ExecSession extends EventEmitter<{ data: [Buffer]; exit: [ExecExit] }> {
  private readonly stdin = new PassThrough();
  private readonly output: TerminalOutput;
  private exited = false;
  private closeSocket: () => void = () => {};

  private constructor(cols: number, rows: number) {
    super();
    this.output = new TerminalOutput((data) => this.emit('data', data), cols, rows);
  }

  static async open(kc: KubeConfig, request: ExecRequest): Promise<ExecSession> {
    const session = new ExecSession(request.cols, request.rows);
    try {
      const socket = await new Exec(kc).exec(request.namespace, request.pod, request.container, request.command, session.output, null, session.stdin, true, (status) =>
        session.finish(exitOf(status)),
      );
      socket.on('close', () => session.finish({ code: null, message: 'the connection to the container closed' }));
      socket.on('error', (error) => session.finish({ code: null, message: error.message }));
      session.closeSocket = () => socket.close();
    } catch (error) {
      throw clusterError(unwrapWsError(error), kc.getCurrentCluster()?.server ?? '', `Pod ${request.namespace}/${request.pod}`);
    }
    return session;
  }

  write(data: Buffer): void {
    if (!this.exited) this.stdin.write(data);
  }

  resize(cols: number, rows: number): void {
    this.output.resize(cols, rows);
  }

  close(): void {
    this.closeSocket();
    this.finish({ code: null, message: 'closed' });
  }

  private finish(exit: ExecExit): void {
    if (this.exited) return;
    this.exited = true;
    this.stdin.end();
    this.emit('exit', exit);
  }
}

/** The ws library reports a refused upgrade as `Unexpected server response: 404`; tell it like an HTTP error. */
export function unwrapWsError(error: unknown): unknown {
  const event = error as { error?: unknown; message?: string };
  const inner = event?.error ?? error;
  const match = /Unexpected server response: (\d+)/.exec((inner as Error)?.message ?? '');
  if (!match) return inner;
  return new KubeApiError(Number(match[1]), { message: 'the API server refused the connection upgrade' });
}
