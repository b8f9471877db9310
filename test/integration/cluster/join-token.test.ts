import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveToken } from '../../../electron/services/cluster/join/token.js';
import { connectChain } from '../../../electron/services/ssh/connect.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { HostTrustStore } from '../../../electron/services/ssh/trust-store.js';
import { startK3sGateway, type K3sGateway } from '../../harness/k3s-gateway.js';
import { bootstrapTokenSecret } from '../../harness/kube-api/k3s.js';
import { everythingSeen, startJoinEnv, stepTrail, type JoinEnv } from './join-env.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

let env: JoinEnv;
// A Ready wait far beyond the tests' own timeouts: a refused token must end the join at once, not by timing out.
beforeAll(async () => void (env = await startJoinEnv({ readyTimeoutMs: 600_000 })), 60_000);

const secretData = (name: string) =>
  Object.fromEntries(Object.entries(env.api.store.get('secrets', 'kube-system', name).data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

/** A join refused by the server: the agent's 401 line is named at once, and nothing registered. */
async function expectRejectedToken(gw: K3sGateway, token: string, secretPart: string) {
  const { events, error } = await env.join(env.plan({ gatewayConnectionId: gw.hostname, token: { kind: 'pasted', token } }));
  expect(stepTrail(events).slice(-2)).toEqual(['ready:running', 'ready:failed']);
  expect(error?.message).toBe('The server rejected the join token: the node did not join.');
  expect(error?.hint).toMatch(/k3s token create.*\/var\/lib\/rancher\/k3s\/server\/token/);
  const diagnosis = events.find((e) => e.type === 'diagnosis');
  expect(diagnosis).toMatchObject({ type: 'diagnosis', diagnosis: { code: 'token-ca-mismatch', title: 'The server rejected the join token' } });
  expect(diagnosis?.type === 'diagnosis' && diagnosis.diagnosis.evidence).toMatch(
    /level=fatal msg="Error: failed to retrieve configuration from server: https:\/\/127\.0\.0\.1:\d+\/v1-k3s\/serving-kubelet\.crt: 401 Unauthorized"/,
  );
  expect((await gw.calls()).filter((c) => c.startsWith('k3s agent'))).toEqual(['k3s agent ']);
  expect(env.api.store.find('nodes', undefined, gw.hostname)).toBeUndefined();
  expect(env.api.store.find('secrets', 'kube-system', `${gw.hostname}.node-password.k3s`)).toBeUndefined();
  expect(everythingSeen(events, env.sink)).not.toContain(secretPart);
}
afterAll(() => env?.close());

describe('join tokens', () => {
  it('refuses a token whose CA hash is not the server CA before the token is sent', async () => {
    const gw = await env.gateway('mitm', { hostname: 'gw-mitm' });
    const forged = `K10${'0'.repeat(64)}::server:${env.api.joinToken.split('::server:')[1]}`;
    const { events, error } = await env.join(env.plan({ gatewayConnectionId: 'mitm', token: { kind: 'pasted', token: forged } }));
    expect(stepTrail(events)).toEqual(['preflight:running', 'preflight:done', 'token:running', 'token:failed']);
    expect(error?.message).toMatch(/^the server's CA \(sha256 [0-9a-f]{16}…\) is not the one the token names \(0{16}…\)$/);
    expect(error?.hint).toMatch(/The token was not sent/);
    expect(existsSync(gw.path('/etc/rancher/k3s/config.yaml'))).toBe(false);
    expect((await gw.calls()).filter((c) => !c.startsWith('systemctl is-active'))).toEqual([]);
    expect(everythingSeen(events, env.sink)).not.toContain(forged.split('::')[1]);
  });

  it('reads the token from the server over SSH, or creates a short-lived one there', async () => {
    const server = await startK3sGateway({ api: env.api, role: 'server', hostname: 'k3s-server' });
    let session: SshSession | undefined;
    try {
      const trust = new HostTrustStore(join(env.dataDir, 'server_known_hosts'), []);
      const auth = { kind: 'key' as const, privateKey: await readFile(server.privateKeyPath), source: server.privateKeyPath };
      session = new SshSession(await connectChain([{ host: server.host, port: server.port, user: 'root', auth }], { trust, strict: 'accept-new' }));
      const sessionOf = async () => session!;
      expect((await resolveToken({ kind: 'server', connectionId: 'srv' }, sessionOf)).raw).toBe(env.api.joinToken);
      const ttl = await resolveToken({ kind: 'server-ttl', connectionId: 'srv', ttl: '2h' }, sessionOf);
      expect(ttl).toMatchObject({ kind: 'secure', caHash: env.api.joinToken.slice(3, 67) });
      const [id, secret] = ttl.credentials.split('.');
      expect(ttl.credentials).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      const data = secretData(`bootstrap-token-${id}`);
      expect(env.api.store.get('secrets', 'kube-system', `bootstrap-token-${id}`).type).toBe('bootstrap.kubernetes.io/token');
      expect(data).toMatchObject({ 'token-id': id, 'token-secret': secret, 'usage-bootstrap-authentication': 'true' });
      const hoursLeft = (Date.parse(data.expiration) - Date.now()) / 3600_000;
      expect(hoursLeft).toBeGreaterThan(1.9);
      expect(hoursLeft).toBeLessThanOrEqual(2);
      expect(await server.calls()).toEqual(['k3s token create --ttl 2h']);
    } finally {
      session?.close();
      await server.stop();
    }
  });

  it('joins with the token read from the server', async () => {
    const server: K3sGateway = await env.gateway('srv', { role: 'server', hostname: 'k3s-server-2' });
    await env.gateway('gw-t', { hostname: 'gw-t' });
    const { events, error } = await env.join(env.plan({ gatewayConnectionId: 'gw-t', token: { kind: 'server', connectionId: 'srv' } }));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'done', nodeName: 'gw-t' });
    expect(server.hostname).toBe('k3s-server-2');
    expect(everythingSeen(events, env.sink)).not.toContain(env.api.joinToken.split('::server:')[1]);
  }, 60_000);

  it('joins with a short-lived token created on the server (k3s token create --ttl) and reaches Ready', async () => {
    await env.gateway('srv-ttl', { role: 'server', hostname: 'k3s-server-3' });
    await env.gateway('gw-ttl', { hostname: 'gw-ttl' });
    const { events, error } = await env.join(env.plan({ gatewayConnectionId: 'gw-ttl', token: { kind: 'server-ttl', connectionId: 'srv-ttl', ttl: '1h' } }));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'done', nodeName: 'gw-ttl' });
    const node = env.api.store.get('nodes', undefined, 'gw-ttl') as { status?: { conditions?: { type: string; status: string }[] } };
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const tokens = env.api.store.list('secrets', { namespace: 'kube-system' }).items.filter((s) => s.type === 'bootstrap.kubernetes.io/token');
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(everythingSeen(events, env.sink)).not.toContain(Buffer.from((t.data as Record<string, string>)['token-secret'], 'base64').toString());
  }, 60_000);

  it('fails at once with the diagnosis when the bootstrap token has expired', async () => {
    env.api.store.create('secrets', bootstrapTokenSecret('exp001', 'k7x2m9q4w8z1c6v3', { ttlSeconds: 3600, now: Date.now() - 2 * 3600_000 }));
    const gw = await env.gateway('gw-expired', { hostname: 'gw-expired' });
    await expectRejectedToken(gw, `K10${env.api.joinToken.slice(3, 67)}::exp001.k7x2m9q4w8z1c6v3`, 'k7x2m9q4w8z1c6v3');
  }, 60_000);

  it('fails at once with the diagnosis when the token has the right CA hash but a wrong secret', async () => {
    const gw = await env.gateway('gw-wrong', { hostname: 'gw-wrong' });
    await expectRejectedToken(gw, `K10${env.api.joinToken.slice(3, 67)}::server:wrong-password-0123456789`, 'wrong-password-0123456789');
  }, 60_000);
});
