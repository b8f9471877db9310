import { redactSecrets } from '../../../../shared/ssh/redact.js';
import { shellQuote } from '../../../../shared/ssh/shell-quote.js';
import type { SshSession } from '../../ssh/session.js';

/** A shell on the gateway (or server) that runs scripts as root: directly when logged in as root, else `sudo -n`. */
export class RemoteShell {
  constructor(
    readonly session: SshSession,
    readonly root: boolean,
    /** Blanked out of every error message. */
    private readonly secrets: () => Iterable<string> = () => [],
  ) {}

  static async open(session: SshSession, secrets?: () => Iterable<string>): Promise<RemoteShell> {
    const r = await session.execText('id -u');
    return new RemoteShell(session, r.stdout.trim() === '0', secrets);
  }

  command(script: string): string {
    return `${this.root ? '' : 'sudo -n '}sh -c ${shellQuote(script)}`;
  }

  /** Runs `script` as root; resolves with its stdout, throws `<what>: <stderr>` on a non-zero exit. */
  async run(script: string, what: string, opts: { stdin?: string; signal?: AbortSignal } = {}): Promise<string> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const r = await this.session.exec(this.command(script), {
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onStdout: (d) => out.push(d),
      onStderr: (d) => err.push(d),
    });
    if (opts.signal?.aborted) throw new Error('cancelled');
    if (r.code !== 0) {
      const why = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-5).join(' | ') || `exit code ${r.code ?? r.signal}`;
      throw new Error(redactSecrets(`${what} failed: ${why}`, this.secrets()));
    }
    return Buffer.concat(out).toString('utf8');
  }
}
