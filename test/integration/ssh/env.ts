import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installJournalctlStandin, startSshd, type Sshd } from '../../harness/sshd.js';
import { connectChain, type ConnectOptions, type ConnectTarget } from '../../../electron/services/ssh/connect.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { HostTrustStore } from '../../../electron/services/ssh/trust-store.js';

export interface TestEnv {
  dir: string;
  trust: HostTrustStore;
  cleanup(): Promise<void>;
}

/** A fresh data dir with an empty FieldKit trust store and an (absent) user known_hosts. */
export async function testEnv(): Promise<TestEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-ssh-test-'));
  const trust = new HostTrustStore(join(dir, 'trust', 'known_hosts'), [join(dir, 'user_known_hosts')]);
  return { dir, trust, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A test sshd (with the journalctl stand-in when asked) and a fresh test env. */
export async function startPeer(opts: { journal?: boolean } = {}): Promise<{ sshd: Sshd; env: TestEnv }> {
  const sshd = await startSshd();
  if (opts.journal) await installJournalctlStandin(sshd);
  return { sshd, env: await testEnv() };
}

export async function stopPeer(sshd: Sshd | undefined, env: TestEnv | undefined): Promise<void> {
  await sshd?.stop();
  await env?.cleanup();
}

export async function keyTarget(sshd: Sshd, user = 'root'): Promise<ConnectTarget> {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    user,
    auth: { kind: 'key', privateKey: await readFile(sshd.clientKey.privatePath), source: sshd.clientKey.privatePath },
  };
}

export async function openSession(
  sshd: Sshd,
  env: TestEnv,
  opts: Partial<ConnectOptions> = {},
): Promise<SshSession> {
  const link = await connectChain([await keyTarget(sshd)], { trust: env.trust, strict: 'accept-new', ...opts });
  return new SshSession(link);
}
