import { EventEmitter } from 'node:events';
import ssh2, { type Client as SshClient, type ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { redactSecrets } from '../../../shared/ssh/redact.js';
import type { HostKeyPrompt, StrictHostKeys } from '../../../shared/ssh/types.js';
import { HostKeyError, PermanentSshError } from './errors.js';
import { createHostVerifier } from './host-key-verifier.js';
import type { HostTrustStore } from './trust-store.js';

const { Client, utils } = ssh2;

export interface KeyboardInteractiveQuestion {
  name: string;
  instructions: string;
  prompts: { prompt: string; echo: boolean }[];
}

export type ResolvedAuth =
  | { kind: 'agent'; socket: string }
  | { kind: 'key'; privateKey: Buffer; passphrase?: string; source: string }
  | { kind: 'password'; password: string }
  | {
      kind: 'keyboard-interactive';
      password?: string;
      /** Lets the UI show the server's prompts; without it every prompt is answered with `password`. */
      respond?: (question: KeyboardInteractiveQuestion) => Promise<string[]>;
    };

export interface ConnectTarget {
  host: string;
  port: number;
  user: string;
  auth: ResolvedAuth;
}

export interface ConnectOptions {
  trust: HostTrustStore;
  strict: StrictHostKeys;
  prompt?: HostKeyPrompt;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  readyTimeoutMs?: number;
  /** Debug lines from ssh2, already redacted. */
  log?: (line: string) => void;
}

export function secretsOf(auth: ResolvedAuth): string[] {
  if (auth.kind === 'key') return auth.passphrase ? [auth.passphrase] : [];
  if (auth.kind === 'password') return [auth.password];
  if (auth.kind === 'keyboard-interactive') return auth.password ? [auth.password] : [];
  return [];
}

/** A connected client at the end of a (possibly empty) ProxyJump chain. Emits `close` (cause?: string) once. */
export class SshLink extends EventEmitter {
  private closedFlag = false;
  constructor(
    readonly client: SshClient,
    private readonly chain: SshClient[],
    readonly target: ConnectTarget,
    readonly redact: (text: string) => string,
  ) {
    super();
    for (const c of chain) {
      c.on('error', (e: Error) => this.markClosed(this.redact(e.message)));
      c.on('close', () => this.markClosed(undefined));
    }
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  close(): void {
    for (const c of [...this.chain].reverse()) c.end();
    this.markClosed(undefined);
  }

  private markClosed(cause: string | undefined): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const c of this.chain) c.end();
    this.emit('close', cause);
  }
}

/** Connects hop by hop (`hops` = ProxyJump chain then the target); each hop's host key is verified before auth. */
export async function connectChain(hops: readonly ConnectTarget[], opts: ConnectOptions): Promise<SshLink> {
  if (hops.length === 0) throw new Error('nothing to connect to');
  const secrets = hops.flatMap((h) => secretsOf(h.auth));
  const redact = (text: string) => redactSecrets(text, secrets);
  const clients: SshClient[] = [];
  try {
    for (const hop of hops) {
      const prev = clients[clients.length - 1];
      const sock = prev ? await forwardOut(prev, hop) : undefined;
      clients.push(await connectOne(hop, opts, redact, sock));
    }
  } catch (e) {
    for (const c of clients.reverse()) c.end();
    throw e;
  }
  return new SshLink(clients[clients.length - 1], clients, hops[hops.length - 1], redact);
}

function forwardOut(via: SshClient, hop: ConnectTarget): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    via.forwardOut('127.0.0.1', 0, hop.host, hop.port, (err, stream) =>
      err ? reject(new Error(`jump host cannot reach ${hop.host}:${hop.port}: ${err.message}`)) : resolve(stream),
    ),
  );
}

const ALGORITHMS_FOR_KEY_TYPE: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

async function connectOne(
  target: ConnectTarget,
  opts: ConnectOptions,
  redact: (text: string) => string,
  sock: Duplex | undefined,
): Promise<SshClient> {
  const where = `${target.user}@${target.host}:${target.port}`;
  const auth = authStep(target, where);
  const verifier = createHostVerifier({
    store: opts.trust,
    strict: opts.strict,
    prompt: opts.prompt,
    host: target.host,
    port: target.port,
  });
  const preferred = (await opts.trust.knownTypes(target.host, target.port)).flatMap(
    (t) => ALGORITHMS_FOR_KEY_TYPE[t] ?? [t],
  );
  const client = new Client();
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    ...(sock ? { sock } : {}),
    hostVerifier: verifier.hostVerifier,
    authHandler: [auth] as unknown as ConnectConfig['authHandler'],
    tryKeyboard: target.auth.kind === 'keyboard-interactive',
    readyTimeout: opts.readyTimeoutMs ?? (opts.strict === 'ask' ? 180_000 : 20_000),
    keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: opts.keepaliveCountMax ?? 3,
    ...(opts.log ? { debug: (line: string) => opts.log!(redact(line)) } : {}),
  };
  if (preferred.length > 0) {
    (config as { algorithms?: unknown }).algorithms = {
      serverHostKey: { remove: preferred, prepend: preferred },
    };
  }
  return new Promise<SshClient>((resolve, reject) => {
    const onError = (err: Error & { level?: string }) => {
      client.off('ready', onReady);
      client.end();
      const failure = verifier.failure();
      if (failure) reject(new HostKeyError(failure));
      else if (err.level === 'client-authentication') {
        reject(new PermanentSshError(`authentication failed for ${where} (${target.auth.kind})`));
      } else reject(new Error(`cannot connect to ${where}: ${redact(err.message)}`));
    };
    const onReady = () => {
      client.off('error', onError);
      resolve(client);
    };
    client.once('ready', onReady);
    client.once('error', onError);
    client.connect(config);
    // Without it Nagle holds each small write (a keystroke, an exec request after its channel open) until the
    // server's delayed ACK: 48 ms an exec round trip on loopback against 3 ms with it (bench:ssh).
    client.setNoDelay(true);
  });
}

type AuthStep = Record<string, unknown> & { type: string; username: string };

function authStep(target: ConnectTarget, where: string): AuthStep {
  const { auth, user: username } = target;
  switch (auth.kind) {
    case 'agent':
      return { type: 'agent', username, agent: auth.socket };
    case 'password':
      return { type: 'password', username, password: auth.password };
    case 'key': {
      const parsed = utils.parseKey(auth.privateKey, auth.passphrase);
      if (parsed instanceof Error) {
        const msg = redactSecrets(parsed.message, auth.passphrase ? [auth.passphrase] : []);
        throw new PermanentSshError(`cannot use key ${auth.source} for ${where}: ${msg}`);
      }
      return { type: 'publickey', username, key: auth.privateKey, passphrase: auth.passphrase };
    }
    case 'keyboard-interactive':
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (
          name: string,
          instructions: string,
          _lang: string,
          prompts: { prompt: string; echo: boolean }[],
          finish: (answers: string[]) => void,
        ) => {
          const answer = auth.respond
            ? auth.respond({ name, instructions, prompts })
            : Promise.resolve(prompts.map(() => auth.password ?? ''));
          answer.then(finish, () => finish([]));
        },
      };
  }
}
