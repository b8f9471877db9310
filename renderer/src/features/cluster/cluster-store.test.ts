import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterContextView } from '../../../../shared/contract/cluster.js';
import type { FieldkitClient, StreamHandlers } from '../../../../shared/contract/client.js';
import { FieldkitError } from '../../../../shared/contract/errors.js';
import { clusterActions, isReadOnly, useCluster } from './cluster-store.js';
import { node, pod } from './test-objects.js';

/** A client whose streams the test drives by hand, and whose calls answer from a table. */
function fakeClient(answers: Record<string, unknown> = {}) {
  const streams = new Map<string, StreamHandlers<unknown>>();
  const calls: { name: string; input: unknown }[] = [];
  const client = {
    call: async (name: string, input: unknown) => {
      calls.push({ name, input });
      if (!(name in answers)) throw new FieldkitError('unavailable', `no answer for ${name}`);
      return answers[name];
    },
    subscribe: (name: string, _input: unknown, handlers: StreamHandlers<unknown>) => {
      streams.set(name, handlers);
      return () => streams.delete(name);
    },
  } as unknown as FieldkitClient;
  return { client, streams, calls };
}

const context = (name: string, current = false): ClusterContextView => ({
  contextId: `kubeconfig:/k:${name}`,
  name,
  cluster: name,
  server: 'https://10.0.0.5:6443',
  user: 'admin',
  source: 'kubeconfig',
  file: '/k',
  current,
  snapshotAt: null,
});

const initial = useCluster.getState();
beforeEach(() => {
  useCluster.setState(initial, true);
  const saved = new Map<string, string>();
  vi.stubGlobal('localStorage', { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) });
});

describe('cluster store', () => {
  it('applies the watch: reset, batched changes, live and offline states; read-only unless live', () => {
    const { client, streams } = fakeClient();
    const stop = clusterActions(client).watch('ctx');
    const watch = streams.get('cluster.watch')!;
    expect(useCluster.getState().link.state).toBe('connecting');
    expect(isReadOnly(useCluster.getState())).toBe(true);

    watch.next({ type: 'reset', nodes: [node('gw-1')], pods: [pod('a'), pod('b')], events: [] });
    watch.next({ type: 'state', state: 'live', asOf: null });
    expect(useCluster.getState()).toMatchObject({ loaded: true, link: { state: 'live' } });
    expect(isReadOnly(useCluster.getState())).toBe(false);

    const before = useCluster.getState().objects;
    watch.next({ type: 'changes', changes: [{ op: 'upsert', kind: 'pod', object: pod('a', { status: 'CrashLoopBackOff' }) }, { op: 'delete', kind: 'pod', key: 'default/b' }] });
    const after = useCluster.getState().objects;
    expect([...after.pods.keys()]).toEqual(['default/a']);
    expect(after.pods.get('default/a')!.status).toBe('CrashLoopBackOff');
    expect(after.nodes).toBe(before.nodes);

    watch.next({ type: 'state', state: 'offline', asOf: '2026-11-28T15:00:00Z', message: 'connect ECONNREFUSED' });
    expect(useCluster.getState().link).toEqual({ state: 'offline', asOf: '2026-11-28T15:00:00Z', message: 'connect ECONNREFUSED', hint: undefined });
    expect(isReadOnly(useCluster.getState())).toBe(true);
    expect(useCluster.getState().objects).toBe(after);

    stop();
    expect(streams.has('cluster.watch')).toBe(false);
  });

  it('shows why the watch stream ended, offline with the last time it had', () => {
    const { client, streams } = fakeClient();
    clusterActions(client).watch('ctx');
    streams.get('cluster.watch')!.next({ type: 'state', state: 'live', asOf: '2026-11-28T15:00:00Z' });
    streams.get('cluster.watch')!.end!(new FieldkitError('not_found', 'Unknown context ctx.', 'Add it again.'));
    expect(useCluster.getState()).toMatchObject({ watchError: 'Unknown context ctx. Add it again.', link: { state: 'offline', asOf: '2026-11-28T15:00:00Z' } });
  });

  it('picks the remembered context, else the current one, and forgets the old cluster on switching', async () => {
    const contexts = [context('lab'), context('site', true)];
    const { client } = fakeClient({ 'cluster.contexts': { contexts } });
    const actions = clusterActions(client);
    await actions.loadContexts();
    expect(useCluster.getState().contextId).toBe('kubeconfig:/k:site');

    useCluster.setState({ objects: { ...useCluster.getState().objects, pods: new Map([['default/a', pod('a')]]) }, drawer: { kind: 'pod', key: 'default/a', tab: 'logs' } });
    actions.select('kubeconfig:/k:lab');
    expect(useCluster.getState()).toMatchObject({ contextId: 'kubeconfig:/k:lab', drawer: null, loaded: false });
    expect(useCluster.getState().objects.pods.size).toBe(0);

    useCluster.setState({ contextId: null });
    await actions.loadContexts();
    expect(useCluster.getState().contextId).toBe('kubeconfig:/k:lab');
  });

  it('shows the empty state with the error when the contexts cannot be listed', async () => {
    const { client } = fakeClient();
    await clusterActions(client).loadContexts();
    expect(useCluster.getState()).toMatchObject({ contexts: [], error: 'no answer for cluster.contexts' });
  });

  it('restarts the Deployment behind a ReplicaSet-owned pod, after the confirmation', async () => {
    const { client, calls } = fakeClient({ 'cluster.rolloutRestart': {} });
    useCluster.setState({
      contextId: 'ctx',
      objects: { ...useCluster.getState().objects, pods: new Map([['iot/web-7d9f-x', pod('web-7d9f-x', { namespace: 'iot', owner: { kind: 'ReplicaSet', name: 'web-7d9f' }, labels: { 'pod-template-hash': '7d9f' } })]]) },
      confirm: { action: 'restart', key: 'iot/web-7d9f-x' },
    });
    await clusterActions(client).rolloutRestart('iot/web-7d9f-x');
    expect(calls).toEqual([{ name: 'cluster.rolloutRestart', input: { contextId: 'ctx', kind: 'Deployment', namespace: 'iot', name: 'web' } }]);
    expect(useCluster.getState()).toMatchObject({ confirm: null, notice: 'Restarting Deployment iot/web: its pods are replaced one by one.' });
  });

  it('keeps port-forwards in the store with their local port and connection count until stopped', () => {
    const { client, streams } = fakeClient();
    useCluster.setState({ contextId: 'ctx', objects: { ...useCluster.getState().objects, pods: new Map([['default/a', pod('a')]]) } });
    const actions = clusterActions(client);
    actions.portForward('default/a', 8080);
    streams.get('cluster.portForward')!.next({ type: 'listening', localPort: 40123 });
    streams.get('cluster.portForward')!.next({ type: 'connection', open: 2 });
    expect(useCluster.getState().forwards).toEqual([{ id: expect.any(Number), pod: 'default/a', remotePort: 8080, localPort: 40123, open: 2, error: null }]);
    actions.stopForward(useCluster.getState().forwards[0].id);
    expect(useCluster.getState().forwards).toEqual([]);
    expect(streams.has('cluster.portForward')).toBe(false);
  });
});
