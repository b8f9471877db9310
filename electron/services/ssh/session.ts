import { EventEmitter } from 'node:events';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { shellQuote } from '../../../shared/ssh/shell-quote.js';
import type { SshLink } from './connect.js';
import { RemoteFiles } from './remote-files.js';
import { downloadFile, uploadFile, type TransferOptions, type TransferResult } from './sftp-transfer.js';
import { openLocalForward, type LocalForward, type LocalForwardOptions } from './tunnel.js';

export interface ExecOptions {
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  stdin?: string | Buffer;
  /** Aborting stops the remote command (see `stoppable`) and waits for the channel to close. */
  signal?: AbortSignal;
}

export interface ExecResult {
  /** null when the remote process died from a signal or the channel closed without a status. */
  code: number | null;
  signal?: string;
}

export interface TerminalOptions {
  cols: number;
  rows: number;
  term?: string;
}

/** An interactive PTY channel; the UI wires xterm.js to `write`/`data` and calls `resize` on fit. */
export class TerminalChannel extends EventEmitter<{ data: [Buffer]; exit: [ExecResult] }> {
  constructor(private readonly channel: ClientChannel) {
    super();
    const exit: ExecResult = { code: null };
    channel.on('data', (d: Buffer) => this.emit('data', d));
    channel.stderr.on('data', (d: Buffer) => this.emit('data', d));
    channel.on('exit', (code: number | null, signal?: string) => Object.assign(exit, { code, signal }));
    channel.on('close', () => this.emit('exit', exit));
  }

  write(data: string | Buffer): void {
    this.channel.write(data);
  }

  resize(cols: number, rows: number): void {
    this.channel.setWindow(rows, cols, 0, 0);
  }

  close(): void {
    this.channel.end();
  }
}

/**
 * OpenSSH refuses "signal" requests for root sessions (no privilege separation), so an abortable command runs beside
 * a watchdog that TERMs it when our end of the channel sends EOF. The command itself reads /dev/null.
 */
export function stoppable(command: string): string {
  const script = `exec 3<&0; ${command} </dev/null & p=$!; (cat <&3 >/dev/null; kill -TERM $p) >/dev/null 2>&1 & wait $p`;
  return `sh -c ${shellQuote(script)}`;
}

/** One authenticated connection: exec, terminal, SFTP and tunnels share it. */
export class SshSession {
  private sftpChannel: Promise<SFTPWrapper> | undefined;

  constructor(readonly link: SshLink) {
    link.once('close', () => {
      this.sftpChannel = undefined;
    });
  }

  get closed(): boolean {
    return this.link.closed;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const abortable = opts.signal !== undefined && opts.stdin === undefined;
      this.link.client.exec(abortable ? stoppable(command) : command, (err, channel) => {
        if (err) return reject(new Error(`cannot start "${command}": ${this.link.redact(err.message)}`));
        const result: ExecResult = { code: null };
        const abort = () => {
          channel.end();
          setTimeout(() => channel.close(), 5000).unref();
        };
        opts.signal?.addEventListener('abort', abort, { once: true });
        channel.on('data', (d: Buffer) => opts.onStdout?.(d));
        channel.stderr.on('data', (d: Buffer) => opts.onStderr?.(d));
        channel.on('exit', (code: number | null, signal?: string) => {
          result.code = typeof code === 'number' ? code : null;
          if (signal) result.signal = signal;
        });
        channel.on('close', () => {
          opts.signal?.removeEventListener('abort', abort);
          resolve(result);
        });
        if (opts.stdin !== undefined) channel.end(opts.stdin);
        else if (!abortable) channel.end();
      });
    });
  }

  async execText(command: string): Promise<ExecResult & { stdout: string; stderr: string }> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const r = await this.exec(command, { onStdout: (d) => out.push(d), onStderr: (d) => err.push(d) });
    return { ...r, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  terminal(opts: TerminalOptions): Promise<TerminalChannel> {
    return new Promise((resolve, reject) => {
      this.link.client.shell({ term: opts.term ?? 'xterm-256color', cols: opts.cols, rows: opts.rows }, (err, ch) =>
        err ? reject(new Error(`cannot open a terminal: ${err.message}`)) : resolve(new TerminalChannel(ch)),
      );
    });
  }

  sftp(): Promise<SFTPWrapper> {
    this.sftpChannel ??= new Promise<SFTPWrapper>((resolve, reject) =>
      this.link.client.sftp((err, sftp) => {
        if (err) {
          this.sftpChannel = undefined;
          return reject(new Error(`cannot start SFTP: ${err.message}`));
        }
        sftp.once('close', () => {
          this.sftpChannel = undefined;
        });
        resolve(sftp);
      }),
    );
    return this.sftpChannel;
  }

  async files(): Promise<RemoteFiles> {
    return new RemoteFiles(await this.sftp());
  }

  async upload(localPath: string, remotePath: string, opts?: TransferOptions): Promise<TransferResult> {
    return uploadFile(await this.sftp(), localPath, remotePath, opts);
  }

  async download(remotePath: string, localPath: string, opts?: TransferOptions): Promise<TransferResult> {
    return downloadFile(await this.sftp(), remotePath, localPath, opts);
  }

  /** Tunnels a local port to remoteHost:remotePort through this connection; closes with it. */
  async forwardLocal(opts: LocalForwardOptions): Promise<LocalForward> {
    const fwd = await openLocalForward(async () => this.link.client, opts);
    this.link.once('close', () => void fwd.close());
    return fwd;
  }

  close(): void {
    this.link.close();
  }
}
