import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInspectEnv, WatchRecorder, type InspectEnv } from './inspect-env.js';

let env: InspectEnv;

beforeAll(async () => void (env = await startInspectEnv({ seed: { nodes: 50, pods: 1000 }, bookmarkIntervalMs: 500 })));
afterAll(() => env?.close());

describe('a cluster of 50 nodes and 1,000 pods', () => {
  it('arrives as one reset, and a burst of 300 pod changes arrives as a few coalesced batches', async () => {
    const { api, harness, contextId } = env;
    const started = performance.now();
    const watch = new WatchRecorder(harness.client, { contextId });
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
