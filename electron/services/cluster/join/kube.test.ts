import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer, type Node } from '../../../../test/harness/kube-api/index.js';
import { readyCondition } from '../../../../test/harness/kube-api/objects.js';
import { kubeConfigFor } from '../contexts.js';
import { drainNode } from './cluster-ops.js';
import { waitForReadyNode } from './kube.js';

let api: KubeApiServer;
beforeAll(async () => {
  api = await startKubeApiServer({ seed: 'empty', podTerminationMs: 60_000 });
});
afterAll(async () => {
  await api?.stop();
});

const kc = () => kubeConfigFor(api.kubeconfigPath, 'default');

function turnReady(name: string): void {
  api.store.mutate('nodes', undefined, name, (o) => {
    const node = o as Node;
    node.status.conditions = [...(node.status.conditions ?? []).filter((c) => c.type !== 'Ready'), readyCondition(true, new Date().toISOString())];
  });
}

describe('waitForReadyNode', () => {
  it('resolves when a matching node turns Ready, not for other Ready nodes', async () => {
    api.store.addNode({ name: 'gw-other', ready: true });
    api.store.addNode({ name: 'gw-wait', ready: false });
    const waiting = waitForReadyNode(kc(), (n) => n.name === 'gw-wait', new AbortController().signal);
    let settled = false;
    void waiting.finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    turnReady('gw-wait');
    await expect(waiting).resolves.toBe('gw-wait');
  });

  it('rejects when cancelled', async () => {
    const stop = new AbortController();
    const waiting = waitForReadyNode(kc(), (n) => n.name === 'gw-never', stop.signal);
    stop.abort();
    await expect(waiting).rejects.toThrow('cancelled');
    await expect(waitForReadyNode(kc(), () => true, stop.signal)).rejects.toThrow('cancelled');
  });
});

describe('drainNode', () => {
  it('names the pods still on the node when they outlast the timeout', async () => {
    api.store.addNode({ name: 'gw-slow' });
    api.store.addPod({ namespace: 'default', name: 'slow-to-stop', node: 'gw-slow' });
    await expect(drainNode(kc(), 'gw-slow', { timeoutMs: 500, signal: new AbortController().signal })).rejects.toThrow('1 pod(s) still on gw-slow after 1 s: slow-to-stop');
    expect((api.store.find('nodes', undefined, 'gw-slow') as Node).spec.unschedulable).toBe(true);
  });

  it('returns undefined for a node the cluster does not have', async () => {
    expect(await drainNode(kc(), 'gw-missing', { timeoutMs: 500, signal: new AbortController().signal })).toBeUndefined();
  });
});
