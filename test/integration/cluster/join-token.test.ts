import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveToken } from '../../../electron/services/cluster/join/token.js';
import { connectChain } from '../../../electron/services/ssh/connect.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { HostTrustStore } from '../../../electron/services/ssh/trust-store.js';
import { startK3sGateway, type K3sGateway } from '../../harness/k3s-gateway.js';
import { everythingSeen, startJoinEnv, stepTrail, type JoinEnv } from './join-env.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

let env: JoinEnv;
beforeAll(async () => void (env = await startJoinEnv()), 60_000);
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
      expect(ttl.credentials).toMatch(/^[0-9a-f]{6}\.[0-9a-f]{16}$/);
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
});
