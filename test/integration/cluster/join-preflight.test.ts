import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJoinEnv, stepTrail, type JoinEnv } from './join-env.js';

let env: JoinEnv;
beforeAll(async () => void (env = await startJoinEnv()), 60_000);
afterAll(() => env?.close());

describe('join preflight on a stand-in gateway', () => {
  it('passes a healthy gateway and reads its facts', async () => {
    await env.gateway('ok', { hostname: 'gw-ok' });
    const r = await env.service.preflight('ok', 'test', { server: env.api.url });
    expect(r.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(r.arch).toBe('amd64');
    expect(r.hostname).toBe('gw-ok');
    expect(r.checks.find((c) => c.id === 'server-reachable')?.detail).toMatch(/answers \(HTTP 200\)/);
  });

  it('names each failure with its fix, and the join stops before anything is written', async () => {
    const gw = await env.gateway('bad', { hostname: 'gw-dup', cgroupMemory: false, defaultRoute: false, clockOffsetSeconds: 300 });
    env.api.store.addNode({ name: 'gw-dup', internalIp: '10.99.0.1' });
    const r = await env.service.preflight('bad', 'test', { server: env.api.url });
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(byId['cgroup-memory']).toMatchObject({ status: 'fail', detail: 'the memory cgroup is disabled' });
    expect(byId['cgroup-memory'].fix).toMatch(/cgroup_enable=memory/);
    expect(byId['default-route']).toMatchObject({ status: 'fail', detail: 'no default route' });
    expect(byId['default-route'].fix).toMatch(/dummy0/);
    expect(byId.clock.status).toBe('fail');
    expect(byId.clock.detail).toMatch(/^clock (29[89]|30[0-2]) s ahead of the server$/);
    expect(byId.hostname).toMatchObject({ status: 'fail', detail: 'another node named gw-dup (10.99.0.1) is already in the cluster' });
    expect(byId.hostname.fix).toMatch(/--node-name <name>, or --with-node-id/);

    const { events, error } = await env.join(env.plan({ gatewayConnectionId: 'bad' }));
    expect(stepTrail(events)).toEqual(['preflight:running', 'preflight:failed']);
    expect(error?.message).toMatch(/^Preflight failed: Memory cgroup: the memory cgroup is disabled; Node name unique in the cluster: another node named gw-dup/);
    expect(error?.hint).toMatch(/cgroup_enable=memory/);
    expect(events.find((e) => e.type === 'preflight')).toBeTruthy();
    expect((await gw.calls()).filter((c) => !c.startsWith('systemctl is-active'))).toEqual([]);
    expect(existsSync(gw.path('/etc/rancher/k3s'))).toBe(false);
  });

  it('accepts another name for a duplicate hostname', async () => {
    await env.gateway('renamed', { hostname: 'gw-dup' });
    const r = await env.service.preflight('renamed', 'test', { server: env.api.url, nodeName: 'gw-dup-2' });
    expect(r.checks.find((c) => c.id === 'hostname')).toMatchObject({ status: 'ok', detail: 'gw-dup-2 is free in the cluster' });
  });

  it('fails when the server cannot be reached from the gateway', async () => {
    await env.gateway('far', { hostname: 'gw-far' });
    const r = await env.service.preflight('far', 'test', { server: 'https://127.0.0.1:1' });
    expect(r.checks.find((c) => c.id === 'server-reachable')).toMatchObject({ status: 'fail', detail: '127.0.0.1:1 cannot be reached from the gateway' });
  });
});
