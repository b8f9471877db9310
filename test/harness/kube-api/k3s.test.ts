import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './index.js';
import { bootstrapTokenSecret, checkBootstrapToken } from './k3s.js';
import { ObjectStore } from './store.js';

function get(api: KubeApiServer, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { ca: api.caPem, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bootstrap tokens (k3s token create)', () => {
  it('are valid only with the right secret, the authentication usage and an expiration ahead', () => {
    const store = new ObjectStore();
    const now = Date.parse('2026-11-28T12:00:00Z');
    store.create('secrets', bootstrapTokenSecret('abc123', '0123456789abcdef', { ttlSeconds: 3600, now }));
    store.create('secrets', bootstrapTokenSecret('old000', '0123456789abcdef', { ttlSeconds: 60, now: now - 3600_000 }));
    store.create('secrets', bootstrapTokenSecret('never0', '0123456789abcdef', { ttlSeconds: 0, now }));
    const secret = store.find('secrets', 'kube-system', 'bootstrap-token-abc123')!;
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(Buffer.from((secret.data as Record<string, string>).expiration, 'base64').toString()).toBe('2026-11-28T13:00:00Z');

    expect(checkBootstrapToken(store, 'abc123.0123456789abcdef', now)).toEqual({
      id: 'abc123',
      groups: ['system:bootstrappers', 'system:bootstrappers:k3s:default-node-token'],
    });
    expect(checkBootstrapToken(store, 'abc123.0123456789abcdef', now + 3600_000)).toBeUndefined();
    expect(checkBootstrapToken(store, 'abc123.0123456789abcdee', now)).toBeUndefined();
    expect(checkBootstrapToken(store, 'old000.0123456789abcdef', now)).toBeUndefined();
    expect(checkBootstrapToken(store, 'never0.0123456789abcdef', now + 10 * 365 * 86400_000)).toBeDefined();
    expect(checkBootstrapToken(store, 'zzz999.0123456789abcdef', now)).toBeUndefined();
    expect(checkBootstrapToken(store, 'not a token', now)).toBeUndefined();
  });
});

describe('the API test server and bootstrap tokens', () => {
  let api: KubeApiServer;
  let caHash: string;
  beforeAll(async () => {
    api = await startKubeApiServer({ seed: 'empty' });
    caHash = api.joinToken.slice(3, 67);
    api.store.create('secrets', bootstrapTokenSecret('live01', 'abcdefghij012345', { ttlSeconds: 3600 }));
    api.store.create('secrets', bootstrapTokenSecret('gone01', 'abcdefghij012345', { ttlSeconds: 60, now: Date.now() - 3600_000 }));
  });
  afterAll(() => api?.stop());

  const kubelet = (token: string, node: string) => ({ Authorization: `Bearer ${token}`, 'K3s-Node-Name': node, 'K3s-Node-Password': 'pw' });

  it('accepts an unexpired one for the agent endpoints and only those', async () => {
    const token = `K10${caHash}::live01.abcdefghij012345`;
    expect(await get(api, '/v1-k3s/serving-kubelet.crt', kubelet(token, 'gw-b1'))).toBe(200);
    expect(await get(api, '/v1-k3s/serving-kubelet.crt', kubelet('live01.abcdefghij012345', 'gw-b1'))).toBe(200);
    const basic = Buffer.from('node:live01.abcdefghij012345').toString('base64');
    expect(await get(api, '/api/v1/nodes', { Authorization: `Basic ${basic}` })).toBe(200);
    expect(await get(api, '/api/v1/pods', { Authorization: `Bearer ${token}` })).toBe(403);
  });

  it('refuses an expired one, a wrong secret and an unknown id with 401', async () => {
    expect(await get(api, '/v1-k3s/serving-kubelet.crt', kubelet(`K10${caHash}::gone01.abcdefghij012345`, 'gw-b2'))).toBe(401);
    expect(await get(api, '/v1-k3s/serving-kubelet.crt', kubelet(`K10${caHash}::live01.abcdefghij012346`, 'gw-b2'))).toBe(401);
    expect(await get(api, '/v1-k3s/serving-kubelet.crt', kubelet(`K10${caHash}::nope01.abcdefghij012345`, 'gw-b2'))).toBe(401);
    expect(api.store.find('secrets', 'kube-system', 'gw-b2.node-password.k3s')).toBeUndefined();
  });
});
