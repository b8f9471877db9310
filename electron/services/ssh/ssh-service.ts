import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostKeyPrompt, StrictHostKeys, SshProfile } from '../../../shared/ssh/types.js';
import { connectChain, type ConnectOptions, type ConnectTarget, type KeyboardInteractiveQuestion } from './connect.js';
import { ManagedConnection, type ReconnectOptions } from './managed-connection.js';
import { ProfileStore } from './profiles.js';
import { resolveAuth, type AskSecret } from './resolve-auth.js';
import type { SecretStore } from './secrets.js';
import { HostTrustStore } from './trust-store.js';

export interface SshServiceOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Read-only OpenSSH files; default `~/.ssh/known_hosts`. */
  userKnownHostsFiles?: string[];
  /** Default agent for profiles using the agent; default `SSH_AUTH_SOCK`. */
  agentSocket?: string;
  /** ssh2 debug lines (redacted); off by default. */
  log?: (line: string) => void;
}

export interface ConnectRequest {
  /** Default `ask` (the UI always has someone to ask). */
  strict?: StrictHostKeys;
  /** Shows the fingerprint modal; resolves with the user's choice. Called before any authentication. */
  prompt?: HostKeyPrompt;
  askSecret?: AskSecret;
  respondKeyboardInteractive?: (q: KeyboardInteractiveQuestion) => Promise<string[]>;
  reconnect?: ReconnectOptions;
  /** ssh2 keepalive: a peer silent for intervalMs * countMax is treated as dropped. Default 15 s x 3. */
  keepalive?: { intervalMs: number; countMax: number };
}

export function sshPaths(dataDir: string) {
  return {
    profiles: join(dataDir, 'ssh', 'profiles.json'),
    trustStore: join(dataDir, 'ssh', 'known_hosts'),
    secrets: join(dataDir, 'ssh', 'secrets.json'),
    bundles: join(dataDir, 'ssh', 'bundles'),
  };
}

/** The SSH domain's entry point for the backend router and the CLI. */
export class SshService {
  readonly profiles: ProfileStore;
  readonly trust: HostTrustStore;

  constructor(private readonly opts: SshServiceOptions) {
    const paths = sshPaths(opts.dataDir);
    this.profiles = new ProfileStore(paths.profiles, opts.secrets);
    this.trust = new HostTrustStore(paths.trustStore, opts.userKnownHostsFiles ?? [join(homedir(), '.ssh', 'known_hosts')]);
  }

  /** Connects a saved profile (through its jump chain) and keeps it connected. */
  async connect(profileId: string, req: ConnectRequest = {}): Promise<ManagedConnection> {
    const chain = await this.chainOf(await this.profiles.get(profileId), []);
    let resolved: Promise<ConnectTarget[]> | undefined;
    const hops = () => (resolved ??= Promise.all(chain.map((p) => this.targetOf(p, req))));
    const conn = new ManagedConnection(async () => connectChain(await hops(), this.connectOptions(req)), req.reconnect);
    await conn.start();
    return conn;
  }

  /** An ad-hoc connection (CLI): `hops` is the jump chain followed by the target. */
  connectTargets(hops: ConnectTarget[], req: ConnectRequest = {}) {
    return connectChain(hops, this.connectOptions(req));
  }

  /** The deliberate action after a changed-key stop; the UI passes back `HostKeyFailure.presentedKey`. */
  replaceHostKey(host: string, port: number, presentedKeyBase64: string): Promise<void> {
    return this.trust.replace(host, port, Buffer.from(presentedKeyBase64, 'base64'));
  }

  private connectOptions(req: ConnectRequest): ConnectOptions {
    return {
      trust: this.trust,
      strict: req.strict ?? 'ask',
      ...(req.keepalive ? { keepaliveIntervalMs: req.keepalive.intervalMs, keepaliveCountMax: req.keepalive.countMax } : {}),
      ...(req.prompt ? { prompt: req.prompt } : {}),
      ...(this.opts.log ? { log: this.opts.log } : {}),
    };
  }

  private async targetOf(profile: SshProfile, req: ConnectRequest): Promise<ConnectTarget> {
    const auth = await resolveAuth(profile, {
      storedSecret: () => this.profiles.secret(profile.id),
      ...(req.askSecret ? { askSecret: req.askSecret } : {}),
      agentSocket: this.opts.agentSocket ?? process.env.SSH_AUTH_SOCK,
    });
    const withResponder =
      auth.kind === 'keyboard-interactive' && req.respondKeyboardInteractive
        ? { ...auth, respond: req.respondKeyboardInteractive }
        : auth;
    return { host: profile.host, port: profile.port, user: profile.user, auth: withResponder };
  }

  private async chainOf(profile: SshProfile, trail: string[]): Promise<SshProfile[]> {
    if (trail.includes(profile.id)) throw new Error(`ProxyJump loop through ${profile.name}`);
    const jumps: SshProfile[] = [];
    for (const id of profile.jumpProfileIds) {
      const jump = await this.profiles.get(id);
      jumps.push(...(await this.chainOf(jump, [...trail, profile.id])));
    }
    return [...jumps, profile];
  }
}
