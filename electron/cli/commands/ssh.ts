import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDestination, parseProxyJump, parseRemotePath, type Destination } from '../../../shared/ssh/destination.js';
import type { HostKeyAnswer, HostKeyQuestion, StrictHostKeys, TransferProgress } from '../../../shared/ssh/types.js';
import { IndexClient, indexDirOf } from '../../services/index/index-client.js';
import { connectChain, type ConnectTarget, type ResolvedAuth } from '../../services/ssh/connect.js';
import { HostKeyError, PermanentSshError } from '../../services/ssh/errors.js';
import { collectJournal, pullDiagnosticBundle } from '../../services/ssh/log-collector.js';
import { isEncryptedKey, readPrivateKey } from '../../services/ssh/resolve-auth.js';
import { SshSession } from '../../services/ssh/session.js';
import { sshPaths } from '../../services/ssh/ssh-service.js';
import { HostTrustStore } from '../../services/ssh/trust-store.js';
import { UsageError, type CliContext, type Command } from '../command.js';

export const CONNECTION_OPTIONS = {
  port: { type: 'string', short: 'p' },
  identity: { type: 'string', short: 'i' },
  'known-hosts': { type: 'string' },
  'strict-host-keys': { type: 'string' },
  jump: { type: 'string', short: 'J' },
} as const;

export const CONNECTION_USAGE =
  '[--port N] [--identity FILE] [--known-hosts FILE] [--strict-host-keys yes|accept-new|ask] [--jump USER@HOST[:PORT],…]';

export type ConnectionValues = { [K in keyof typeof CONNECTION_OPTIONS]?: string };

/** OpenSSH's convention: 255 when ssh itself failed, so it cannot be mistaken for the remote command's code. */
const SSH_FAILED = 255;

const interactive = () => process.stdin.isTTY === true && process.stderr.isTTY === true;

function strictness(value: string | undefined): StrictHostKeys {
  if (value === undefined) return interactive() ? 'ask' : 'yes';
  if (value === 'yes' || value === 'accept-new' || value === 'ask') return value;
  throw new UsageError(`--strict-host-keys must be yes, accept-new or ask, not "${value}"`);
}

/** `--identity FILE`, else ssh-agent, else the first of OpenSSH's default keys that needs no passphrase. */
async function cliAuth(identity: string | undefined): Promise<ResolvedAuth> {
  if (identity) {
    const privateKey = await readPrivateKey(identity);
    if (isEncryptedKey(privateKey)) {
      throw new PermanentSshError(`${identity} is protected by a passphrase`, `Load it into ssh-agent (ssh-add ${identity}) and run again.`);
    }
    return { kind: 'key', privateKey, source: identity };
  }
  if (process.env.SSH_AUTH_SOCK) return { kind: 'agent', socket: process.env.SSH_AUTH_SOCK };
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const file = join(homedir(), '.ssh', name);
    if (!existsSync(file)) continue;
    const privateKey = await readPrivateKey(file);
    if (!isEncryptedKey(privateKey)) return { kind: 'key', privateKey, source: file };
  }
  throw new PermanentSshError('no key to authenticate with', 'Pass --identity FILE or start ssh-agent.');
}

function askOnTerminal(stderr: NodeJS.WritableStream) {
  return (q: HostKeyQuestion): Promise<HostKeyAnswer> =>
    new Promise((resolve) => {
      const other = q.knownTypes.length ? `\nKeys of other types are known for this host: ${q.knownTypes.join(', ')}.` : '';
      stderr.write(`The authenticity of host '${q.host}' (port ${q.port}) can't be established.\n${q.keyType} key fingerprint is ${q.fingerprint}.${other}\n`);
      const rl = createInterface({ input: process.stdin, output: stderr as NodeJS.WriteStream });
      rl.question('Trust this key and continue connecting (yes/no)? ', (answer) => {
        rl.close();
        resolve(answer.trim().toLowerCase() === 'yes' ? 'trust' : 'reject');
      });
    });
}

export async function connect(ctx: CliContext, values: ConnectionValues, destination: Destination): Promise<SshSession> {
  const strict = strictness(values['strict-host-keys']);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new UsageError(`--port must be 1-65535, not "${values.port}"`);
  const trust = values['known-hosts']
    ? new HostTrustStore(values['known-hosts'], [])
    : new HostTrustStore(sshPaths(ctx.dataDir).trustStore, [join(homedir(), '.ssh', 'known_hosts')]);
  const auth = await cliAuth(values.identity);
  const user = (d: Destination) => d.user ?? process.env.USER ?? 'root';
  const hops: ConnectTarget[] = [
    ...asUsage(() => parseProxyJump(values.jump ?? '')).map((j) => ({ host: j.host, port: j.port ?? 22, user: user(j), auth })),
    { host: destination.host, port: port ?? destination.port ?? 22, user: user(destination), auth },
  ];
  return new SshSession(await connectChain(hops, { trust, strict, prompt: askOnTerminal(ctx.stderr) }));
}

/** Runs `body` on a session; connection failures are reported as OpenSSH does (exit 255, host key text verbatim). */
async function withSession(ctx: CliContext, values: ConnectionValues, destination: Destination, body: (s: SshSession) => Promise<number>): Promise<number> {
  let session: SshSession;
  try {
    session = await connect(ctx, values, destination);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const hint = e instanceof HostKeyError || e instanceof PermanentSshError ? (e.hint ? `\n${e.hint}` : '') : '';
    ctx.stderr.write(`fieldkit ssh: ${(e as Error).message}${hint}\n`);
    return SSH_FAILED;
  }
  try {
    return await body(session);
  } finally {
    session.close();
  }
}

/** Bad destinations are the caller's mistake: exit 2 with the usage line. */
export function asUsage<T>(parseArg: () => T): T {
  try {
    return parseArg();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parse<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(argv: string[], extra: T) {
  return parseArgs({ args: argv, allowPositionals: true, options: { ...CONNECTION_OPTIONS, ...extra } });
}

function progressPrinter(stderr: NodeJS.WritableStream) {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  return (p: TransferProgress) => {
    if (!tty) return;
    const pct = p.bytesTotal ? ((100 * p.bytesDone) / p.bytesTotal).toFixed(0) : '100';
    const eta = p.etaSeconds === undefined ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
    stderr.write(`\r${pct}% of ${(p.bytesTotal / 1e6).toFixed(1)} MB, ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s${eta}`.padEnd(60));
  };
}

export const sshExecCommand: Command = {
  name: 'ssh exec',
  summary: 'Run a command on a gateway over SSH; exits with the remote exit code (255 if SSH failed).',
  usage: `fieldkit ssh exec ${CONNECTION_USAGE} USER@HOST -- CMD…`,
  async run(ctx) {
    const { values, positionals } = parse(ctx.argv, {});
    const [dest, ...command] = positionals;
    if (!dest || command.length === 0) throw new UsageError('give USER@HOST and, after --, the command to run.');
    return withSession(ctx, values, asUsage(() => parseDestination(dest)), async (session) => {
      const r = await session.exec(command.join(' '), { onStdout: (d) => ctx.stdout.write(d), onStderr: (d) => ctx.stderr.write(d), signal: ctx.signal });
      return r.code ?? SSH_FAILED;
    });
  },
};

function transferCommand(direction: 'put' | 'get'): Command {
  const [from, to] = direction === 'put' ? ['LOCAL', 'USER@HOST:REMOTE'] : ['USER@HOST:REMOTE', 'LOCAL'];
  return {
    name: `ssh ${direction}`,
    summary: direction === 'put' ? 'Upload a file over SFTP (--resume continues a partial upload).' : 'Download a file over SFTP (--resume continues a partial download).',
    usage: `fieldkit ssh ${direction} ${CONNECTION_USAGE} [--resume] ${from} ${to}`,
    async run(ctx) {
      const { values, positionals } = parse(ctx.argv, { resume: { type: 'boolean' } });
      if (positionals.length !== 2) throw new UsageError(`give ${from} and ${to}.`);
      const local = direction === 'put' ? positionals[0] : positionals[1];
      const remote = asUsage(() => parseRemotePath(direction === 'put' ? positionals[1] : positionals[0]));
      return withSession(ctx, values, remote.destination, async (session) => {
        const opts = { resume: values.resume === true, signal: ctx.signal, onProgress: progressPrinter(ctx.stderr) };
        const r = direction === 'put' ? await session.upload(local, remote.path, opts) : await session.download(remote.path, local, opts);
        const resumed = r.startOffset > 0 ? ` (resumed at ${r.startOffset} bytes)` : '';
        ctx.stderr.write(`${(ctx.stderr as NodeJS.WriteStream).isTTY ? '\n' : ''}${direction === 'put' ? 'uploaded' : 'downloaded'} ${r.bytesTotal} bytes${resumed}\n`);
        return 0;
      });
    },
  };
}

export const sshCollectLogsCommand: Command = {
  name: 'ssh collect-logs',
  summary: 'Stream the gateway journal into the log index and import a diagnostic bundle (/var/log, dmesg, K3s).',
  usage: `fieldkit ssh collect-logs ${CONNECTION_USAGE} [--since WHEN] [--device NAME] [--site NAME] [--no-bundle] USER@HOST`,
  async run(ctx) {
    const { values, positionals } = parse(ctx.argv, { since: { type: 'string' }, device: { type: 'string' }, site: { type: 'string' }, 'no-bundle': { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one USER@HOST.');
    const destination = asUsage(() => parseDestination(positionals[0]));
    const labels = { device: values.device ?? destination.host, ...(values.site ? { site: values.site } : {}) };
    return withSession(ctx, values, destination, async (session) => {
      const index = await IndexClient.open(indexDirOf(ctx.dataDir));
      try {
        const journal = await collectJournal(session, index, { labels, ...(values.since ? { since: values.since } : {}), signal: ctx.signal });
        ctx.stdout.write(`journal: ${journal.records} records into the index\n`);
        if (values['no-bundle']) return 0;
        const bundle = await pullDiagnosticBundle(session, sshPaths(ctx.dataDir).bundles, { labels, withoutJournal: true, signal: ctx.signal });
        const report = await index.importPaths([bundle.path], { ...labels, signal: ctx.signal });
        ctx.stdout.write(`bundle: ${bundle.path} (${bundle.bytes} bytes), ${report.totals.records} records imported\n`);
        return 0;
      } finally {
        await index.close();
      }
    });
  },
};

export const sshCommands: Command[] = [sshExecCommand, transferCommand('put'), transferCommand('get'), sshCollectLogsCommand];
