import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePasswordUser, generateKey, startSshd, type Sshd } from '../../harness/sshd.js';
import { collectJournal } from '../../../electron/services/ssh/log-collector.js';
import { EncryptedFileSecretStore, MemorySecretStore, passphraseCipher, type SecretStore } from '../../../electron/services/ssh/secrets.js';
import { SshService, sshPaths } from '../../../electron/services/ssh/ssh-service.js';
import type { LogRecord } from '../../../shared/logs/record.js';
import type { ConnectionState } from '../../../shared/ssh/types.js';
import { startPeer, stopPeer, type TestEnv } from './env.js';

let sshd: Sshd;
let env: TestEnv;

beforeAll(async () => void ({ sshd, env } = await startPeer({ journal: true })), 30_000);
afterAll(() => stopPeer(sshd, env));

/** A profile for the test sshd with the harness's client key. */
function saveKeyProfile(svc: SshService) {
  return svc.profiles.save({ name: 'gw', host: '127.0.0.1', port: sshd.port, user: 'root', auth: { kind: 'key', identityFile: sshd.clientKey.privatePath }, jumpProfileIds: [] });
}

function service(dataDir: string, secrets: SecretStore = new MemorySecretStore(), log?: (l: string) => void) {
  return new SshService({ dataDir, secrets, userKnownHostsFiles: [], ...(log ? { log } : {}) });
}

async function readAll(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'latin1')))).join('\n');
}

describe('SshService', () => {
  it('imports ~/.ssh/config aliases with ProxyJump and connects through the chain', async () => {
    const inner = await startSshd();
    try {
      const dataDir = join(env.dir, 'import');
      const svc = service(dataDir);
      const config = [
        'Host jump',
        '  HostName 127.0.0.1',
        `  Port ${sshd.port}`,
        '  User root',
        `  IdentityFile ${sshd.clientKey.privatePath}`,
        'Host gw-inner',
        '  HostName 127.0.0.1',
        `  Port ${inner.port}`,
        '  ProxyJump jump',
        'Host *',
        '  User root',
        `  IdentityFile ${inner.clientKey.privatePath}`,
      ].join('\n');
      const { imported } = await svc.profiles.importSshConfig(config);
      const gw = imported.find((p) => p.name === 'gw-inner')!;
      const jump = imported.find((p) => p.name === 'jump')!;
      expect(gw.jumpProfileIds).toEqual([jump.id]);
      expect(gw.auth).toEqual({ kind: 'key', identityFile: inner.clientKey.privatePath });
      const prompted: number[] = [];
      const conn = await svc.connect(gw.id, { prompt: async (q) => (prompted.push(q.port), 'trust') });
      expect(prompted.sort()).toEqual([sshd.port, inner.port].sort());
      const r = await (await conn.session()).execText('echo $SSH_CONNECTION');
      expect(r.stdout.trim().endsWith(String(inner.port))).toBe(true);
      conn.close();
    } finally {
      await inner.stop();
    }
  });

  it('reconnects with backoff after the connection drops, and tunnels keep working', async () => {
    const svc = service(join(env.dir, 'reconnect'));
    const profile = await saveKeyProfile(svc);
    const conn = await svc.connect(profile.id, { strict: 'accept-new', reconnect: { baseMs: 50, maxMs: 200 } });
    const states: ConnectionState['state'][] = [];
    conn.on('state', (s) => states.push(s.state));
    const http = createServer((req, res) => res.end(`ok ${req.url}`));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const fwd = await conn.forwardLocal({ remoteHost: '127.0.0.1', remotePort: (http.address() as AddressInfo).port });
    const viaTunnel = async (path: string) => (await fetch(`http://127.0.0.1:${fwd.localPort}${path}`)).text();
    expect(await viaTunnel('/before')).toBe('ok /before');
    const first = await conn.session();
    const reopened = new Promise((resolve) => conn.once('session', resolve));
    expect(await sshd.killSessions()).toBeGreaterThan(0);
    await reopened;
    const second = await conn.session();
    expect(second).not.toBe(first);
    expect((await second.execText('echo back')).stdout).toBe('back\n');
    expect(states).toEqual(expect.arrayContaining(['reconnecting', 'ready']));
    expect(await viaTunnel('/after')).toBe('ok /after');
    await fwd.close();
    http.close();
    conn.close();
    expect(conn.state.state).toBe('closed');
  });

  it('detects a silent peer by keepalive and reconnects', async () => {
    const svc = service(join(env.dir, 'keepalive'));
    const profile = await saveKeyProfile(svc);
    const conn = await svc.connect(profile.id, {
      strict: 'accept-new',
      keepalive: { intervalMs: 200, countMax: 2 },
      reconnect: { baseMs: 50, maxMs: 200 },
    });
    const causes: string[] = [];
    conn.on('state', (s) => s.state === 'reconnecting' && causes.push(s.cause));
    const reopened = new Promise((resolve) => conn.once('session', resolve));
    expect(await sshd.killSessions('SIGSTOP')).toBeGreaterThan(0);
    try {
      await reopened;
      expect(causes[0]).toMatch(/keepalive/i);
      expect((await (await conn.session()).execText('echo alive')).stdout).toBe('alive\n');
    } finally {
      conn.close();
      await sshd.killSessions('SIGKILL');
    }
  });

  it('never lets a password or passphrase reach logs, errors, files or collected records', async () => {
    const { user, password } = await ensurePasswordUser();
    const passphrase = 'Sup3r-Secret-Passphrase-91b2';
    const dataDir = join(env.dir, 'redaction');
    const fileSecrets = new EncryptedFileSecretStore(sshPaths(dataDir).secrets, passphraseCipher('store-unlock-phrase'));
    const logs: string[] = [];
    const svc = service(dataDir, fileSecrets, (l) => logs.push(l));
    const seen: string[] = [];
    const capture = (e: unknown) => {
      const err = e as Error & { toBody?: () => unknown };
      seen.push(String(err), err.stack ?? '', JSON.stringify(err.toBody?.() ?? {}), JSON.stringify(err));
    };

    const pw = await svc.profiles.save(
      { name: 'pw', host: '127.0.0.1', port: sshd.port, user, auth: { kind: 'password' }, jumpProfileIds: [] },
      password,
    );
    const conn = await svc.connect(pw.id, { strict: 'accept-new' });
    const records: LogRecord[] = [];
    await collectJournal(await conn.session(), { append: async (r) => void records.push(...r) }, { labels: { device: 'gw' } });
    seen.push(JSON.stringify(records, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    conn.close();

    const wrong = await svc.profiles.save(
      { name: 'wrong', host: '127.0.0.1', port: sshd.port, user, auth: { kind: 'password' }, jumpProfileIds: [] },
      `${password}-but-wrong`,
    );
    await svc.connect(wrong.id).then(() => expect.fail('wrong password accepted'), capture);

    const key = await generateKey(join(env.dir, 'secret-key'), { passphrase });
    const keyed = await svc.profiles.save(
      { name: 'key', host: '127.0.0.1', port: sshd.port, user: 'root', auth: { kind: 'key', identityFile: key.privatePath }, jumpProfileIds: [] },
      `${passphrase}-wrong`,
    );
    await svc.connect(keyed.id).then(() => expect.fail('wrong passphrase accepted'), capture);

    expect(logs.length).toBeGreaterThan(10);
    expect(records.length).toBe(5);
    const everything = [...logs, ...seen, await readAll(dataDir)].join('\n');
    for (const secret of [password, passphrase, 'store-unlock-phrase']) expect(everything).not.toContain(secret);
    expect(await fileSecrets.get(`ssh-profile:${pw.id}`)).toBe(password);
  }, 60_000);
});
