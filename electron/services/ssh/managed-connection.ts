import { EventEmitter } from 'node:events';
import { backoffDelayMs, type BackoffOptions } from '../../../shared/ssh/backoff.js';
import type { ConnectionState } from '../../../shared/ssh/types.js';
import type { SshLink } from './connect.js';
import { HostKeyError, PermanentSshError } from './errors.js';
import { SshSession } from './session.js';
import { openLocalForward, type LocalForward, type LocalForwardOptions } from './tunnel.js';

export interface ReconnectOptions extends Partial<BackoffOptions> {
  /** Give up after this many failed attempts in a row (default 10). */
  maxAttempts?: number;
}

interface Events {
  state: [ConnectionState];
  /** A new session after a reconnect: terminals and SFTP browsers reopen their channels on it. */
  session: [SshSession];
}

/**
 * Keeps one profile connected: after a drop it reconnects with exponential backoff, but never after a host key or
 * authentication failure (retrying cannot fix those and could lock the account).
 */
export class ManagedConnection extends EventEmitter<Events> {
  private current: SshSession | undefined;
  private waiters: { resolve: (s: SshSession) => void; reject: (e: Error) => void }[] = [];
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastState: ConnectionState = { state: 'connecting', attempt: 1 };
  private readonly backoff: BackoffOptions;

  constructor(
    private readonly connect: () => Promise<SshLink>,
    private readonly opts: ReconnectOptions = {},
  ) {
    super();
    this.backoff = { baseMs: opts.baseMs ?? 500, maxMs: opts.maxMs ?? 30_000, random: opts.random ?? Math.random };
  }

  get state(): ConnectionState {
    return this.lastState;
  }

  /** The first connection: its error (host key, auth, unreachable) goes straight to the caller, no retry. */
  async start(): Promise<SshSession> {
    this.setState({ state: 'connecting', attempt: 1 });
    try {
      this.adopt(await this.connect());
      return this.current!;
    } catch (e) {
      this.stopped = true;
      this.setState({ state: 'closed', cause: (e as Error).message });
      throw e;
    }
  }

  /** The live session, waiting through a reconnect if one is in progress. */
  session(): Promise<SshSession> {
    if (this.current && !this.current.closed) return Promise.resolve(this.current);
    if (this.stopped) return Promise.reject(new Error(`not connected: ${stateCause(this.lastState)}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** A forward that keeps listening across reconnects; each new local socket uses the session live at that time. */
  forwardLocal(opts: LocalForwardOptions): Promise<LocalForward> {
    return openLocalForward(async () => (await this.session()).link.client, opts);
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.current?.close();
    this.finish('closed by user');
  }

  private adopt(link: SshLink): void {
    const session = new SshSession(link);
    this.current = session;
    link.once('close', (cause?: string) => {
      if (!this.stopped) this.scheduleReconnect(1, cause ?? 'connection closed');
    });
    this.setState({ state: 'ready' });
    for (const w of this.waiters.splice(0)) w.resolve(session);
    this.emit('session', session);
  }

  private scheduleReconnect(attempt: number, cause: string): void {
    if (attempt > (this.opts.maxAttempts ?? 10)) return this.finish(`gave up after ${attempt - 1} attempts: ${cause}`);
    const delayMs = backoffDelayMs(attempt, this.backoff);
    this.setState({ state: 'reconnecting', attempt, delayMs, cause });
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.connect().then(
        (link) => (this.stopped ? link.close() : this.adopt(link)),
        (e: Error) => {
          if (e instanceof HostKeyError || e instanceof PermanentSshError) this.finish(e.message);
          else this.scheduleReconnect(attempt + 1, e.message);
        },
      );
    }, delayMs);
  }

  private finish(cause: string): void {
    this.stopped = true;
    this.setState({ state: 'closed', cause });
    for (const w of this.waiters.splice(0)) w.reject(new Error(`not connected: ${cause}`));
  }

  private setState(state: ConnectionState): void {
    this.lastState = state;
    this.emit('state', state);
  }
}

function stateCause(s: ConnectionState): string {
  return s.state === 'closed' ? (s.cause ?? 'closed') : s.state;
}
