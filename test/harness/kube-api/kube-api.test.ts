import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, setNodePassword, startKubeApiServer, type KubeApiServer } from './index.js';

interface Reply {
  status: number;
  body: string;
}

function call(api: KubeApiServer, path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown; auth?: boolean } = {}): Promise<Reply> {
  const token = /token: (\S+)/.exec(readFileSync(api.tokenKubeconfigPath, 'utf8'))?.[1] ?? '';
  const headers: Record<string, string> = { ...(opts.auth === false ? {} : { Authorization: `Bearer ${token}` }), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method: opts.method ?? 'GET', ca: api.caPem, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

function loadConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

interface Seen {
  type: string;
  name: string;
  rv: string;
  code?: number;
}

/** A client-node watch that records what it sees and when it ends. */
async function watchPods(kc: KubeConfig, query: Record<string, string | boolean>) {
  const seen: Seen[] = [];
  let endedWith: (err: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => (endedWith = resolve));
  const controller = await new Watch(kc).watch(
    '/api/v1/pods',
    query,
    (type, obj: { metadata?: { name?: string; resourceVersion?: string }; code?: number }) => seen.push({ type, name: obj.metadata?.name ?? '', rv: obj.metadata?.resourceVersion ?? '', code: obj.code }),
    (err) => endedWith(err ?? 'closed'),
  );
  return { seen, ended, abort: () => controller.abort() };
}

const until = (check: () => boolean, what: string) => expect.poll(check, { timeout: 5_000, interval: 25, message: what }).toBe(true);

describe('kube-api test server with @kubernetes/client-node', () => {
  let api: KubeApiServer;
  beforeAll(async () => {
    api = await startKubeApiServer({ seed: 'demo', bookmarkIntervalMs: 200, nodeReadyDelayMs: 100 });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('lists the demo nodes and pods with the k3s.yaml-style client-certificate kubeconfig', async () => {
    const kc = loadConfig(api.kubeconfigPath);
    expect(kc.getCurrentContext()).toBe('default');
    const core = kc.makeApiClient(CoreV1Api);
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual([...DEMO.nodes].sort());
    expect(Number(nodes.metadata?.resourceVersion)).toBeGreaterThan(0);
    const notReady = nodes.items.find((n) => n.metadata?.name === DEMO.notReadyNode);
    expect(notReady?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    const pods = await core.listPodForAllNamespaces();
    expect(pods.items).toHaveLength(31);
    const crashLooping = pods.items.filter((p) => p.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff'));
    expect(crashLooping.map((p) => `${p.metadata?.namespace}/${p.metadata?.labels?.app}`).sort()).toEqual(['iot-edge/modbus-poller', 'iot-edge/opcua-gateway']);
  });

  it('accepts the bearer-token kubeconfig and answers 401 with a Status without credentials', async () => {
    const core = loadConfig(api.tokenKubeconfigPath).makeApiClient(CoreV1Api);
    expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toContain('iot-edge');
    const anonymous = await call(api, '/api/v1/pods', { auth: false });
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const missing = await call(api, '/api/v1/namespaces/default/pods/nope');
    expect(JSON.parse(missing.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' } });
  });

  it('watches from a resourceVersion, sends bookmarks, and resumes after dropWatches', async () => {
    const kc = loadConfig(api.kubeconfigPath);
    const list = await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces();
    const w = await watchPods(kc, { resourceVersion: list.metadata?.resourceVersion ?? '', allowWatchBookmarks: true });
    api.store.addPod({ namespace: 'default', name: 'watch-me', node: 'gw-agent-01' });
    await until(() => w.seen.some((e) => e.type === 'ADDED' && e.name === 'watch-me'), 'ADDED watch-me');
    expect(w.seen.filter((e) => e.type === 'ADDED')).toHaveLength(1);
    await until(() => w.seen.some((e) => e.type === 'BOOKMARK'), 'a bookmark');
    const last = w.seen.filter((e) => e.type !== 'BOOKMARK').at(-1)?.rv ?? '';
    api.dropWatches();
    expect(await w.ended).toBeTruthy();
    api.store.mutate('pods', 'default', 'watch-me', (p) => void (p.metadata.labels = { app: 'watch-me', changed: 'yes' }));
    api.store.delete('pods', 'default', 'watch-me');
    const resumed = await watchPods(kc, { resourceVersion: last });
    await until(() => resumed.seen.some((e) => e.type === 'DELETED'), 'DELETED after resume');
    expect(resumed.seen.map((e) => `${e.type} ${e.name}`)).toEqual(['MODIFIED watch-me', 'DELETED watch-me']);
    resumed.abort();
  });

  it('answers 410 Expired on a watch from a compacted resourceVersion', async () => {
    const kc = loadConfig(api.kubeconfigPath);
    const rv = String(api.store.revision);
    api.store.addPod({ namespace: 'default', name: 'after-rv', node: 'gw-agent-02' });
    api.compact();
    const w = await watchPods(kc, { resourceVersion: rv });
    await until(() => w.seen.length > 0, 'the ERROR event');
    expect(w.seen[0]).toMatchObject({ type: 'ERROR', code: 410 });
    const fresh = await watchPods(kc, { resourceVersion: String(api.store.revision) });
    api.store.delete('pods', 'default', 'after-rv');
    await until(() => fresh.seen.some((e) => e.type === 'DELETED'), 'DELETED after re-list');
    fresh.abort();
  });

  it('refuses connections while paused and serves again after resume', async () => {
    const core = loadConfig(api.kubeconfigPath).makeApiClient(CoreV1Api);
    await api.pause();
    await expect(core.listNode()).rejects.toThrow(/ECONNREFUSED/);
    await api.resume();
    expect((await core.listNode()).items).toHaveLength(4);
  });

  it('serves pod logs: tail, timestamps, previous, follow', async () => {
    const [pod] = api.store.list('pods', { namespace: 'iot-edge', filter: (p) => p.metadata.labels?.app === 'opcua-gateway' }).items;
    const base = `/api/v1/namespaces/iot-edge/pods/${pod.metadata.name}/log`;
    expect((await call(api, `${base}?previous=true`)).body).toMatch(/panic: cannot open secure channel\n$/);
    expect((await call(api, `${base}?tailLines=1`)).body).toBe('connecting to opc.tcp://plc-01.local:4840\n');
    expect((await call(api, `${base}?timestamps=true`)).body.split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z starting OPC UA gateway v2\.4\.1$/);
    const noPrevious = await call(api, '/api/v1/namespaces/default/pods/debug-shell/log?previous=true');
    expect(noPrevious.status).toBe(400);
    expect(JSON.parse(noPrevious.body).message).toBe('previous terminated container "shell" in pod "debug-shell" not found');

    const followed = call(api, '/api/v1/namespaces/default/pods/debug-shell/log?follow=true&tailLines=0');
    await new Promise((r) => setTimeout(r, 200));
    api.store.appendLog('default', 'debug-shell', ['one', 'two']);
    api.store.restartContainer('default', 'debug-shell');
    expect((await followed).body).toBe('one\ntwo\n');
  });

  it('serves /cacerts, whose hash the join token carries, and lets the join token register a node that turns Ready', async () => {
    const cacerts = await call(api, '/cacerts', { auth: false });
    expect(cacerts.body).toBe(api.caPem);
    expect(api.joinToken).toMatch(new RegExp(`^K10${createHash('sha256').update(cacerts.body).digest('hex')}::server:[0-9a-f]{32}$`));
    const join = { Authorization: `Bearer ${api.joinToken}`, 'Content-Type': 'application/json' };
    const forbidden = await call(api, '/api/v1/pods', { headers: join });
    expect(JSON.parse(forbidden.body)).toMatchObject({ reason: 'Forbidden', code: 403 });
    const created = await call(api, '/api/v1/nodes', { method: 'POST', headers: join, body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gw-new-01', labels: { 'kubernetes.io/arch': 'arm64' } } } });
    expect(created.status).toBe(201);
    expect(api.store.node('gw-new-01').status.conditions?.find((c) => c.type === 'Ready')?.status).not.toBe('True');
    await until(() => api.store.node('gw-new-01').status.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 'node Ready');
  });

  it('checks the K3s node password: created on first join, a different one later is rejected', async () => {
    const password = api.joinToken.split('::server:')[1];
    const basic = `Basic ${Buffer.from(`node:${password}`).toString('base64')}`;
    const ask = (pw: string) => call(api, '/v1-k3s/client-kubelet.crt', { auth: false, headers: { Authorization: basic, 'K3s-Node-Name': 'gw-pw-01', 'K3s-Node-Password': pw } });
    const first = await ask('first-password');
    expect(first.status).toBe(200);
    expect(first.body).toContain('BEGIN CERTIFICATE');
    expect(api.store.get('secrets', 'kube-system', 'gw-pw-01.node-password.k3s').type).toBe('k3s.cattle.io/node-password');
    expect((await ask('first-password')).status).toBe(200);
    const reflashed = await ask('new-password');
    expect(reflashed.status).toBe(403);
    expect(reflashed.body).toMatch(/^Node password rejected, duplicate hostname/);
    setNodePassword(api.store, 'gw-pw-01', 'new-password');
    expect((await ask('new-password')).status).toBe(200);
  });
});

describe('kube-api test server REST details', () => {
  let api: KubeApiServer;
  beforeAll(async () => {
    api = await startKubeApiServer({ seed: { nodes: 50, pods: 1000 } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('seeds 50 nodes and 1000 pods and pages through them with limit/continue at one resourceVersion', async () => {
    const names: string[] = [];
    let token = '';
    const revisions = new Set<string>();
    do {
      const page = JSON.parse((await call(api, `/api/v1/pods?limit=300${token ? `&continue=${token}` : ''}`)).body) as { metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }; items: { metadata: { name: string } }[] };
      names.push(...page.items.map((p) => p.metadata.name));
      revisions.add(page.metadata.resourceVersion);
      token = page.metadata.continue ?? '';
    } while (token);
    expect(names).toHaveLength(1000);
    expect(new Set(names).size).toBe(1000);
    expect(revisions.size).toBe(1);
    const nodes = JSON.parse((await call(api, '/api/v1/nodes')).body) as { kind: string; items: { kind?: string }[] };
    expect(nodes.kind).toBe('NodeList');
    expect(nodes.items).toHaveLength(50);
    expect(nodes.items[0].kind).toBeUndefined();
  });

  it('filters lists by label and field selectors', async () => {
    const byLabel = JSON.parse((await call(api, '/api/v1/namespaces/team-01/pods?labelSelector=app%3Dapp-0001')).body) as { items: unknown[] };
    expect(byLabel.items).toHaveLength(10);
    const onNode = JSON.parse((await call(api, '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-001,status.phase%3DRunning')).body) as { items: { spec: { nodeName: string } }[] };
    expect(onNode.items.length).toBeGreaterThan(0);
    expect(onNode.items.every((p) => p.spec.nodeName === 'node-001')).toBe(true);
    const bad = await call(api, '/api/v1/pods?labelSelector=a%3D%3D%3Db');
    expect(JSON.parse(bad.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('answers kubectl-style Table requests', async () => {
    const table = JSON.parse((await call(api, '/api/v1/nodes?limit=2', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } })).body) as {
      kind: string;
      columnDefinitions: { name: string; priority: number }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
      metadata: { continue?: string };
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['node-001', 'Ready', 'control-plane,master']);
    expect(table.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'node-001' } });
    expect(table.metadata.continue).toBeTruthy();
  });

  it('serves events in core/v1 and events.k8s.io/v1 shapes from one store', async () => {
    api.store.addEvent({ namespace: 'team-00', involved: { kind: 'Pod', name: 'p1', namespace: 'team-00' }, reason: 'Pulled', message: 'pulled it' });
    const core = JSON.parse((await call(api, '/api/v1/namespaces/team-00/events')).body) as { items: { involvedObject: { name: string }; message: string }[] };
    expect(core.items.map((e) => [e.involvedObject.name, e.message])).toEqual([['p1', 'pulled it']]);
    const v1 = JSON.parse((await call(api, '/apis/events.k8s.io/v1/namespaces/team-00/events')).body) as { kind: string; items: { regarding: { name: string }; note: string }[] };
    expect(v1.kind).toBe('EventList');
    expect(v1.items.map((e) => [e.regarding.name, e.note])).toEqual([['p1', 'pulled it']]);
  });

  it('refuses bad input with Status errors and keeps serving', async () => {
    const post = (path: string, body: unknown) => call(api, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(JSON.parse((await post('/api/v1/namespaces/team-00/pods', { metadata: { name: 'x' }, spec: {} })).body)).toMatchObject({ reason: 'Invalid', code: 422, message: 'Pod "x" is invalid: spec.containers: Required value' });
    expect(JSON.parse((await post('/api/v1/namespaces/nowhere/pods', { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'b' }] } })).body)).toMatchObject({ reason: 'NotFound', code: 404, message: 'namespaces "nowhere" not found' });
    const garbled = await call(api, '/api/v1/namespaces/team-00/pods', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: undefined });
    expect(garbled.status).toBe(422);
    const dup = await post('/api/v1/namespaces', { metadata: { name: 'team-00' } });
    expect(JSON.parse(dup.body)).toMatchObject({ reason: 'AlreadyExists', code: 409 });
    expect(JSON.parse((await call(api, '/apis/apps/v1/namespaces/team-00/widgets')).body)).toMatchObject({ reason: 'NotFound', code: 404 });
    expect(JSON.parse((await call(api, '/api/v1/pods?watch=1&resourceVersion=abc')).body.trim())).toMatchObject({ type: 'ERROR', object: { code: 400 } });
    expect((await call(api, '/api/v1/nodes?limit=1')).status).toBe(200);
  });

  it('creates a pod through the API: scheduled at once, ContainerCreating, then Running', async () => {
    const created = await call(api, '/api/v1/namespaces/team-02/pods', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'made' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    expect(created.status).toBe(201);
    const pod = JSON.parse(created.body) as { spec: { nodeName?: string }; status: { phase: string; containerStatuses: { state: { waiting?: { reason: string } } }[] } };
    expect(pod.spec.nodeName).toMatch(/^node-\d+$/);
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.containerStatuses[0].state.waiting?.reason).toBe('ContainerCreating');
    await until(() => api.store.pod('team-02', 'made').status.phase === 'Running', 'Running');
  });
});

it('deletes pods gracefully when asked: Terminating first, then gone (and a grace period of 0 is immediate)', async () => {
  const api = await startKubeApiServer({ seed: 'demo', podTerminationMs: 300 });
  try {
    const [victim, other] = api.store.list('pods', { namespace: 'iot-edge', filter: (p) => p.metadata.labels?.app === 'telemetry-forwarder' }).items.map((p) => p.metadata.name);
    const table = await call(api, `/api/v1/namespaces/iot-edge/pods/${victim}`, { method: 'DELETE', headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect((JSON.parse(table.body) as { rows: { cells: unknown[] }[] }).rows[0].cells[2]).toBe('Terminating');
    expect(api.store.pod('iot-edge', victim).metadata.deletionGracePeriodSeconds).toBe(30);
    await until(() => !api.store.find('pods', 'iot-edge', victim), 'the pod to go');
    const now = await call(api, `/api/v1/namespaces/iot-edge/pods/${other}?gracePeriodSeconds=0`, { method: 'DELETE' });
    expect(now.status).toBe(200);
    expect(api.store.find('pods', 'iot-edge', other)).toBeUndefined();
  } finally {
    await api.stop();
  }
});
