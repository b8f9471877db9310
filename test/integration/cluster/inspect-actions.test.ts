import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../shared/contract/index.js';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import type { KubeApiServer } from '../../harness/kube-api/index.js';
import type { Harness } from '../../contract/transports.js';
import { startInspectEnv, WatchRecorder, type InspectEnv } from './inspect-env.js';

let env: InspectEnv;
let api: KubeApiServer;
let harness: Harness;
let contextId: string;
let scratch: string;

beforeAll(async () => {
  ({ api, harness, contextId } = env = await startInspectEnv({ seed: 'demo', bookmarkIntervalMs: 200 }));
  scratch = await mkdtemp(join(tmpdir(), 'fk-inspect-actions-'));
});
afterAll(async () => {
  await env?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const podNamed = (namespace: string, prefix: string) => api.store.list('pods', { namespace }).items.find((p) => p.metadata.name.startsWith(prefix))!;

type LogEvent = StreamEvent<'cluster.logs'>;
type LogInput = { namespace: string; pod: string; container?: string; follow?: boolean; previous?: boolean; timestamps?: boolean; tailLines?: number };

/** Reads a log to its end (not following). */
function readLogs(input: LogInput): Promise<{ lines: { ts?: string; text: string }[]; indexed: number; error?: FieldkitError }> {
  return new Promise((resolve) => {
    const lines: { ts?: string; text: string }[] = [];
    let indexed = -1;
    harness.client.subscribe('cluster.logs', { contextId, ...input }, {
      next: (event: LogEvent) => (event.type === 'lines' ? lines.push(...event.lines) : (indexed = event.indexed)),
      end: (error) => resolve({ lines, indexed, error }),
    });
  });
}

describe('cluster.logs', () => {
  it('reads a container log with the kubelet timestamps and puts every line into the log index once', async () => {
    const pod = podNamed('iot-edge', 'mqtt-bridge-');
    const first = await readLogs({ namespace: 'iot-edge', pod: pod.metadata.name });
    expect(first.error).toBeUndefined();
    expect(first.lines.map((l) => l.text)).toEqual(['connected to mqtt://mosquitto.iot-edge:1883', 'subscribed to sensors/#', 'forwarded 512 messages in 60s', 'forwarded 498 messages in 60s']);
    expect(first.lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(l.ts ?? ''))).toBe(true);
    expect(first.indexed).toBe(4);

    const { hits } = await harness.client.call('logs.search', { query: `pod:${pod.metadata.name}`, limit: 100 });
    expect(hits).toHaveLength(4);
    expect(hits[0]).toMatchObject({ source: 'pod', device: (pod.spec as { nodeName: string }).nodeName, pod: pod.metadata.name, container: 'mqtt-bridge', level: 'info', fields: { namespace: 'iot-edge' } });
    expect(new Date(Number(BigInt(hits.at(-1)!.tsNs) / 1_000_000n)).toISOString().slice(0, 19)).toBe(first.lines[0].ts!.slice(0, 19));

    const again = await readLogs({ namespace: 'iot-edge', pod: pod.metadata.name, timestamps: false });
    expect(again.lines).toEqual(first.lines.map((l) => ({ text: l.text })));
    expect(again.indexed).toBe(0);
    expect((await harness.client.call('logs.count', { query: `pod:${pod.metadata.name}` })).count).toBe(4);
  });

  it('follows a log: new lines arrive live and are searchable offline, with their level', async () => {
    const pod = podNamed('iot-edge', 'telemetry-forwarder-');
    const lines: string[] = [];
    let ended = false;
    const stop = harness.client.subscribe('cluster.logs', { contextId, namespace: 'iot-edge', pod: pod.metadata.name, follow: true, tailLines: 1 }, {
      next: (event) => event.type === 'lines' && lines.push(...event.lines.map((l) => l.text)),
      end: () => (ended = true),
    });
    await expect.poll(() => lines.length).toBe(1);
    api.store.appendLog('iot-edge', pod.metadata.name, ['ERROR upstream 10.10.1.20:502 timed out', 'reconnected']);
    await expect.poll(() => lines).toEqual(['telemetry-forwarder: healthy', 'ERROR upstream 10.10.1.20:502 timed out', 'reconnected']);
    stop();
    expect(ended).toBe(false);
    await expect
      .poll(async () => (await harness.client.call('logs.search', { query: `pod:${pod.metadata.name} timed out`, limit: 10 })).hits.map((h) => h.level))
      .toEqual(['error']);
  });

  it("reads the previous container's log of a crash-looping pod", async () => {
    const pod = podNamed('iot-edge', 'opcua-gateway-');
    const current = await readLogs({ namespace: 'iot-edge', pod: pod.metadata.name });
    const previous = await readLogs({ namespace: 'iot-edge', pod: pod.metadata.name, previous: true });
    expect(previous.lines.at(-1)?.text).toBe('panic: cannot open secure channel');
    expect(current.lines.map((l) => l.text)).toEqual(['starting OPC UA gateway v2.4.1', 'connecting to opc.tcp://plc-01.local:4840']);
    expect(previous.indexed).toBe(4);
  });

  it('tells why a log cannot be read: no such container, no log yet', async () => {
    const pod = podNamed('iot-edge', 'mqtt-bridge-');
    const wrong = await readLogs({ namespace: 'iot-edge', pod: pod.metadata.name, container: 'sidecar' });
    expect(wrong.error).toMatchObject({ code: 'bad_request', message: `Pod iot-edge/${pod.metadata.name} has no container "sidecar".`, hint: 'Its containers: mqtt-bridge.' });
    const pulling = await readLogs({ namespace: 'iot-edge', pod: podNamed('iot-edge', 'firmware-updater-').metadata.name });
    expect(pulling.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^The API server refused the request: .*waiting to start/) });
    const missing = await readLogs({ namespace: 'iot-edge', pod: 'no-such-pod' });
    expect(missing.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/^Pod iot-edge\/no-such-pod was not found/) });
  });
});

describe('pod and workload actions', () => {
  let watch: WatchRecorder;
  beforeAll(() => {
    watch = new WatchRecorder(harness.client, { contextId, namespace: 'iot-edge' });
  });
  afterAll(() => watch.close());

  it('watches one namespace only', async () => {
    await watch.untilState('live');
    expect([...watch.pods.values()].every((p) => p.namespace === 'iot-edge')).toBe(true);
    expect(watch.pods.size).toBe(api.store.list('pods', { namespace: 'iot-edge' }).items.length);
    expect(watch.nodes.size).toBe(4);
  });

  it('deletes a pod; its Deployment makes a new one', async () => {
    const victim = podNamed('iot-edge', 'telemetry-forwarder-').metadata.name;
    const replicas = () => [...watch.pods.values()].filter((p) => p.owner?.name === 'telemetry-forwarder');
    await harness.client.call('cluster.pods.delete', { contextId, namespace: 'iot-edge', pod: victim });
    await watch.until('the pod is gone and replaced', () => !watch.pods.has(`iot-edge/${victim}`) && replicas().length === 3);
    await expect(harness.client.call('cluster.pods.delete', { contextId, namespace: 'iot-edge', pod: victim })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining(`Pod iot-edge/${victim} was not found`) });
  });

  it('restarts a rollout like kubectl: a restartedAt annotation on the pod template, every pod replaced', async () => {
    const before = [...watch.pods.values()].filter((p) => p.owner?.name === 'mqtt-bridge').map((p) => p.name);
    expect(before).toHaveLength(2);
    await harness.client.call('cluster.rolloutRestart', { contextId, kind: 'Deployment', namespace: 'iot-edge', name: 'mqtt-bridge' });
    const template = (api.store.get('deployments', 'iot-edge', 'mqtt-bridge').spec as { template: { metadata: { annotations: Record<string, string> } } }).template;
    expect(template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await watch.until('new mqtt-bridge pods', () => {
      const now = [...watch.pods.values()].filter((p) => p.owner?.name === 'mqtt-bridge').map((p) => p.name);
      return now.length === 2 && now.every((name) => !before.includes(name));
    });
    await harness.client.call('cluster.rolloutRestart', { contextId, kind: 'StatefulSet', namespace: 'iot-edge', name: 'sensor-ingest' });
    const sts = api.store.get('statefulsets', 'iot-edge', 'sensor-ingest').spec as { template: { metadata: { annotations: Record<string, string> } } };
    expect(sts.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    await expect(harness.client.call('cluster.rolloutRestart', { contextId, kind: 'DaemonSet', namespace: 'iot-edge', name: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('shows the YAML of objects as the API serves them, managed fields left out', async () => {
    const pod = podNamed('iot-edge', 'opcua-gateway-').metadata.name;
    api.store.mutate('pods', 'iot-edge', pod, (o) => {
      (o.metadata as Record<string, unknown>).managedFields = [{ manager: 'kubectl', operation: 'Update' }];
    });
    const { yaml } = await harness.client.call('cluster.yaml', { contextId, kind: 'Pod', namespace: 'iot-edge', name: pod });
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    expect(yaml).toContain(`  name: ${pod}\n`);
    expect(yaml).toContain('reason: CrashLoopBackOff');
    expect(yaml).not.toContain('managedFields');
    const node = await harness.client.call('cluster.yaml', { contextId, kind: 'Node', name: 'gw-agent-03' });
    expect(node.yaml).toContain('kind: Node');
    const deployment = await harness.client.call('cluster.yaml', { contextId, kind: 'Deployment', namespace: 'iot-edge', name: 'mqtt-bridge' });
    expect(deployment.yaml).toContain('kubectl.kubernetes.io/restartedAt');
    await expect(harness.client.call('cluster.yaml', { contextId, kind: 'Pod', namespace: 'iot-edge', name: 'gone' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(harness.client.call('cluster.yaml', { contextId, kind: 'Pod', name: pod })).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('credentials', () => {
  it('works with a bearer token, and says the token was rejected (offline, retrying) when it is wrong', async () => {
    const token = await harness.client.call('cluster.contexts.addFile', { path: api.tokenKubeconfigPath });
    const good = new WatchRecorder(harness.client, { contextId: token.contexts[0].contextId });
    await good.untilState('live');
    good.close();

    const badFile = join(scratch, 'bad-token.yaml');
    await writeFile(badFile, (await readFile(api.tokenKubeconfigPath, 'utf8')).replace(/token: \S+/, 'token: not-the-token'));
    const bad = await harness.client.call('cluster.contexts.addFile', { path: badFile });
    const rejected = new WatchRecorder(harness.client, { contextId: bad.contexts[0].contextId });
    await rejected.untilState('offline');
    expect(rejected.lastState).toMatchObject({ message: `The API server at ${api.url} rejected the client certificate/token (401 Unauthorized).`, hint: expect.stringContaining('fetch a fresh one') });
    rejected.close();
    await expect(harness.client.call('cluster.yaml', { contextId: bad.contexts[0].contextId, kind: 'Node', name: 'gw-agent-01' })).rejects.toMatchObject({ message: expect.stringContaining('401') });
  });

  it('removes a context: hidden from the list, its snapshot gone', async () => {
    await harness.client.call('cluster.contexts.remove', { contextId });
    const { contexts } = await harness.client.call('cluster.contexts', {});
    expect(contexts.map((c) => c.contextId)).not.toContain(contextId);
    await expect(harness.client.call('cluster.yaml', { contextId, kind: 'Node', name: 'gw-agent-01' })).rejects.toMatchObject({ code: 'not_found' });
    const again = await harness.client.call('cluster.contexts.addFile', { path: api.kubeconfigPath });
    expect(again.contexts.map((c) => [c.contextId, c.snapshotAt])).toEqual([[contextId, null]]);
  });
});
