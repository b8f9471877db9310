import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../../harness/kube-api/index.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { WatchRecorder } from './inspect-env.js';

let api: KubeApiServer;
let harness: Harness;

beforeAll(async () => {
  api = await startKubeApiServer({ seed: { nodes: 50, pods: 1000 }, bookmarkIntervalMs: 500 });
  harness = await overWebSocket();
});
afterAll(async () => {
  await harness?.close();
  await api?.stop();
});

describe('a cluster of 50 nodes and 1,000 pods', () => {
  it('arrives as one reset, and a burst of 300 pod changes arrives as a few coalesced batches', async () => {
    const { contexts } = await harness.client.call('cluster.contexts.addFile', { path: api.kubeconfigPath });
    const started = performance.now();
    const watch = new WatchRecorder(harness.client, { contextId: contexts[0].contextId });
    await watch.untilState('live');
    const liveMs = performance.now() - started;
    expect(watch.count('reset')).toBe(1);
    expect(watch.nodes.size).toBe(50);
    expect(watch.pods.size).toBe(1000);
    expect([...watch.pods.values()].filter((p) => p.status === 'CrashLoopBackOff').length).toBe(40);

    const pods = api.store.list('pods').items.slice(0, 300);
    const burst = performance.now();
    for (const pod of pods) api.store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => ((o.metadata.labels ??= {}).burst = 'yes'));
    await watch.until('every pod of the burst updated', () => pods.every((p) => watch.pods.get(`${p.metadata.namespace}/${p.metadata.name}`)?.labels.burst === 'yes'));
    const burstMs = performance.now() - burst;
    const batches = watch.count('changes');
    expect(batches).toBeLessThan(30);
    console.log(`50 nodes/1000 pods: live after ${liveMs.toFixed(0)} ms; 300 changes in ${batches} batches, all applied after ${burstMs.toFixed(0)} ms`);
    watch.close();
  });
});
