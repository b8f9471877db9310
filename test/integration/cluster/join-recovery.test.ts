import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinEvent } from '../../../shared/contract/cluster.js';
import type { LeaveEvent } from '../../../electron/services/cluster/join/service.js';
import { everythingSeen, startJoinEnv, stepTrail, type JoinEnv } from './join-env.js';

let env: JoinEnv;
beforeAll(async () => void (env = await startJoinEnv()), 60_000);
afterAll(() => env?.close());

const secretOf = (node: string) => env.api.store.find('secrets', 'kube-system', `${node}.node-password.k3s`);

describe('re-flash, recovery and leave', () => {
  it('a re-flashed gateway is refused with the node-password diagnosis; recovery lets it join again', async () => {
    const gw = await env.gateway('rf', { hostname: 'gw-rf' });
    expect((await env.join(env.plan({ gatewayConnectionId: 'rf' }))).error).toBeUndefined();
    const firstUid = env.api.store.node('gw-rf').metadata.uid;

    await gw.reflash();
    const second = await env.join(env.plan({ gatewayConnectionId: 'rf' }));
    const hostname = second.events.find((e): e is Extract<JoinEvent, { type: 'preflight' }> => e.type === 'preflight')!.checks.find((c) => c.id === 'hostname');
    expect(hostname).toMatchObject({ status: 'warn', detail: "a node named gw-rf with this gateway's address is already in the cluster" });
    expect(stepTrail(second.events).slice(-2)).toEqual(['ready:running', 'ready:failed']);
    const diagnosis = second.events.find((e): e is Extract<JoinEvent, { type: 'diagnosis' }> => e.type === 'diagnosis')!.diagnosis;
    expect(diagnosis).toMatchObject({ code: 'node-password-rejected', title: 'Node password rejected', action: 'delete-node-password' });
    expect(diagnosis.evidence).toMatch(/Node password rejected/);
    expect(second.error?.message).toBe('Node password rejected: the node did not join.');
    expect(second.error?.hint).toContain('kube-system/gw-rf.node-password.k3s');

    expect(await env.service.recoverNodePassword('test', 'gw-rf')).toEqual({ node: true, secret: true });
    expect(env.api.store.find('nodes', undefined, 'gw-rf')).toBeUndefined();
    expect(secretOf('gw-rf')).toBeUndefined();

    const third = await env.join(env.plan({ gatewayConnectionId: 'rf' }));
    expect(third.error).toBeUndefined();
    expect(third.events.at(-1)).toEqual({ type: 'done', nodeName: 'gw-rf' });
    expect(env.api.store.node('gw-rf').metadata.uid).not.toBe(firstUid);
    expect(secretOf('gw-rf')).toBeTruthy();
    expect(everythingSeen([second.events, third.events], env.sink)).not.toContain(env.api.joinToken);
  }, 120_000);

  it('leave drains the node, deletes it and uninstalls the agent', async () => {
    const gw = await env.gateway('lv', { hostname: 'gw-lv' });
    expect((await env.join(env.plan({ gatewayConnectionId: 'lv' }))).error).toBeUndefined();
    env.api.store.addPod({ namespace: 'default', name: 'app-on-lv', node: 'gw-lv' });
    env.api.store.addPod({ namespace: 'default', name: 'app-elsewhere', node: 'gw-other' });

    const events: LeaveEvent[] = [];
    await env.service.leave({ gatewayConnectionId: 'lv', contextId: 'test', nodeName: 'gw-lv' }, (e) => events.push(e), new AbortController().signal);
    expect(events).toEqual([
      { type: 'step', step: 'drain', state: 'running' },
      { type: 'step', step: 'drain', state: 'done', detail: 'cordoned, 1 pod(s) evicted' },
      { type: 'step', step: 'delete', state: 'running' },
      { type: 'step', step: 'delete', state: 'done', detail: 'node gw-lv deleted' },
      { type: 'step', step: 'uninstall', state: 'running' },
      { type: 'step', step: 'uninstall', state: 'done', detail: '/usr/local/bin/k3s-agent-uninstall.sh removed K3s from the gateway' },
      { type: 'done' },
    ]);
    expect(env.api.store.find('nodes', undefined, 'gw-lv')).toBeUndefined();
    expect(env.api.store.find('pods', 'default', 'app-on-lv')).toBeUndefined();
    expect(env.api.store.find('pods', 'default', 'app-elsewhere')).toBeTruthy();
    expect(secretOf('gw-lv')).toBeUndefined();
    expect(existsSync(gw.path('/etc/rancher/k3s/config.yaml'))).toBe(false);
    expect(existsSync(gw.path('/usr/local/bin/k3s'))).toBe(false);
    const calls = await gw.calls();
    expect(calls.slice(calls.indexOf('k3s-agent-uninstall.sh'))).toEqual([
      'k3s-agent-uninstall.sh',
      'systemctl stop k3s-agent',
      'systemctl disable k3s-agent',
      'systemctl daemon-reload',
    ]);
    expect((await gw.exec('systemctl is-active k3s-agent || true')).trim()).toBe('inactive');
  }, 60_000);
});
