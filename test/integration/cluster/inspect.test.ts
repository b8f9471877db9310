import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterContextView } from '../../../shared/contract/cluster.js';
import { startKubeApiServer, DEMO, type KubeApiServer } from '../../harness/kube-api/index.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { WatchRecorder } from './inspect-env.js';

let api: KubeApiServer;
let harness: Harness;
let context: ClusterContextView;
let scratch: string;

beforeAll(async () => {
  api = await startKubeApiServer({ seed: 'demo', bookmarkIntervalMs: 200 });
  harness = await overWebSocket();
  scratch = await mkdtemp(join(tmpdir(), 'fk-inspect-'));
});
afterAll(async () => {
  await harness?.close();
  await api?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const iotPod = (prefix: string) => api.store.list('pods', { namespace: 'iot-edge' }).items.find((p) => p.metadata.name.startsWith(prefix))!;

describe('cluster contexts', () => {
  it('adds a kubeconfig file and lists its context with the server, marked current, without a snapshot yet', async () => {
    const { contexts } = await harness.client.call('cluster.contexts.addFile', { path: api.kubeconfigPath });
    expect(contexts).toEqual([
      {
        contextId: `kubeconfig:${api.kubeconfigPath}:default`,
        name: 'default',
        cluster: 'default',
        server: api.url,
        user: 'default',
        source: 'kubeconfig',
        file: api.kubeconfigPath,
        current: true,
        snapshotAt: null,
      },
    ]);
    context = contexts[0];
    const all = await harness.client.call('cluster.contexts', {});
    expect(all.contexts.filter((c) => c.file === api.kubeconfigPath)).toEqual(contexts);
    const remembered = JSON.parse(await readFile(join(harness.dataDir, 'cluster', 'contexts.json'), 'utf8'));
    expect(remembered.files).toEqual([api.kubeconfigPath]);
  });

  it('refuses a missing file or one that is not a kubeconfig, saying what to do', async () => {
    await expect(harness.client.call('cluster.contexts.addFile', { path: join(scratch, 'nope.yaml') })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('ENOENT') });
    const junk = join(scratch, 'junk.yaml');
    await writeFile(junk, 'just: [a, list\n');
    await expect(harness.client.call('cluster.contexts.addFile', { path: junk })).rejects.toMatchObject({ code: 'bad_request', hint: expect.stringContaining('kubectl config view') });
    await writeFile(junk, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    await expect(harness.client.call('cluster.contexts.addFile', { path: junk })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('no contexts') });
  });
});

describe('cluster.watch against the API test server', () => {
  let watch: WatchRecorder;
  afterAll(() => watch?.close());

  it('starts connecting, then sends the whole cluster as a reset and goes live', async () => {
    watch = new WatchRecorder(harness.client, { contextId: context.contextId });
    await watch.untilState('live');
    expect(watch.states[0]).toEqual({ type: 'state', state: 'connecting', asOf: null });
    expect(watch.count('reset')).toBe(1);
    expect([...watch.nodes.keys()].sort()).toEqual([...DEMO.nodes].sort());
    expect(watch.pods.size).toBe(api.store.list('pods').items.length);
    expect(watch.clusterEvents.size).toBe(api.store.list('events').items.length);

    expect(watch.nodes.get('gw-server-01')).toMatchObject({ ready: 'True', roles: ['control-plane', 'master'], version: 'v1.31.4+k3s1', arch: 'arm64', internalIp: '10.10.0.10' });
    expect(watch.nodes.get('gw-agent-02')).toMatchObject({ ready: 'True', pressure: ['MemoryPressure'] });
    expect(watch.nodes.get(DEMO.notReadyNode)).toMatchObject({ ready: 'Unknown', conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', reason: 'NodeStatusUnknown' })]) });
    const crashing = iotPod('opcua-gateway-');
    expect(watch.pods.get(`iot-edge/${crashing.metadata.name}`)).toMatchObject({
      status: 'CrashLoopBackOff',
      ready: 0,
      total: 1,
      restarts: 7,
      lastRestartAt: expect.any(String),
      owner: { kind: 'Deployment', name: 'opcua-gateway' },
    });
    expect(watch.pods.get(`iot-edge/${iotPod('firmware-updater-').metadata.name}`)?.status).toBe('ImagePullBackOff');
    expect([...watch.pods.values()].filter((p) => p.status === 'Completed')).toHaveLength(2);
  });

  it('turns pods added, changed and deleted on the server into batched changes', async () => {
    const before = watch.count('changes');
    api.store.addPod({ namespace: 'default', name: 'probe-1', node: 'gw-agent-01', state: 'pending' });
    await watch.until('probe-1 added', () => watch.pods.get('default/probe-1')?.status === 'ContainerCreating');
    api.store.restartContainer('default', 'probe-1', { crashLoop: true });
    await watch.until('probe-1 crash-looping', () => watch.pods.get('default/probe-1')?.status === 'CrashLoopBackOff');
    api.store.delete('pods', 'default', 'probe-1');
    await watch.until('probe-1 deleted', () => !watch.pods.has('default/probe-1'));
    expect(watch.count('changes')).toBeGreaterThan(before);
    expect(watch.count('reset')).toBe(1);
  });

  it('resumes a dropped watch from its resourceVersion without losing a change made meanwhile', async () => {
    api.dropWatches();
    api.store.addPod({ namespace: 'default', name: 'made-while-dropped', node: 'gw-agent-01' });
    await watch.until('the change made during the drop arrives', () => watch.pods.has('default/made-while-dropped'));
    expect(watch.count('reset')).toBe(1);
    expect(watch.lastState?.state).toBe('live');
  });

  it('re-lists after 410 Gone (history compacted while away) and sends the new whole state as a reset', async () => {
    await api.pause();
    try {
      await watch.untilState('offline');
      api.store.delete('pods', 'default', 'made-while-dropped');
      api.compact();
    } finally {
      await api.resume();
    }
    await watch.until('a reset without the pod deleted while away', () => watch.count('reset') >= 2 && !watch.pods.has('default/made-while-dropped'));
    await watch.untilState('live');
    api.store.addPod({ namespace: 'default', name: 'after-relist', node: 'gw-agent-02' });
    await watch.until('changes flow again', () => watch.pods.has('default/after-relist'));
  });

  it('says offline with the time of the last live state and a hint while the API is unreachable, then catches up', async () => {
    await api.pause();
    try {
      await watch.untilState('offline');
      const offline = watch.lastState!;
      expect(Date.parse(offline.asOf!)).toBeGreaterThan(Date.now() - 60_000);
      // Refused while paused; a request cut by the pause itself says reset.
      expect(offline.message).toMatch(new RegExp(`^The Kubernetes API at ${api.url} cannot be reached \\((ECONNREFUSED|ECONNRESET)\\)\\.$`));
      expect(offline.hint).toMatch(/keeps retrying/);
      expect(watch.pods.has('default/after-relist')).toBe(true);
      api.store.addPod({ namespace: 'default', name: 'made-while-offline', node: 'gw-agent-02' });
    } finally {
      await api.resume();
    }
    await watch.untilState('live');
    await watch.until('the change made while offline arrives', () => watch.pods.has('default/made-while-offline'));
    expect(watch.events.at(-1)?.type).not.toBe('reset');
  });

  it('persists the snapshot, and a fresh backend on the same data dir shows it with its time while the server is down', async () => {
    const closedAt = Date.now();
    watch.close();
    const snapshotAt = async () => (await harness.client.call('cluster.contexts', {})).contexts[0].snapshotAt ?? '';
    await expect.poll(async () => Date.parse(await snapshotAt()) || 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(closedAt);
    const dataDir = join(scratch, 'restarted');
    await cp(harness.dataDir, dataDir, { recursive: true });
    await api.pause();
    const restarted = await overWebSocket(dataDir);
    try {
      const offline = new WatchRecorder(restarted.client, { contextId: context.contextId });
      await offline.untilState('offline');
      expect(offline.events[0]).toMatchObject({ type: 'reset' });
      const asOf = await snapshotAt();
      expect(offline.states.map((s) => [s.state, s.asOf])).toEqual([
        ['connecting', asOf],
        ['offline', asOf],
      ]);
      expect(offline.pods.has('default/made-while-offline')).toBe(true);
      expect(offline.nodes.size).toBe(DEMO.nodes.length);
      offline.close();
    } finally {
      await restarted.close();
      await api.resume();
    }
    const snapshotFiles = join(dataDir, 'cluster', 'snapshots');
    expect((await stat(snapshotFiles)).isDirectory()).toBe(true);
  });
});
