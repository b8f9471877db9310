import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK3sGateway, type K3sGateway } from '../../harness/k3s-gateway.js';
import { ensurePasswordUser, startSshd } from '../../harness/sshd.js';
import { readK3sKubeconfig } from '../../../electron/services/cluster/k3s-kubeconfig.js';
import { openSession, testEnv } from '../ssh/env.js';
import { connectChain } from '../../../electron/services/ssh/connect.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { startKubeApiServer, DEMO, type KubeApiServer } from '../../harness/kube-api/index.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { WatchRecorder } from './inspect-env.js';

const run = promisify(execFile);
const K3S_YAML = '/etc/rancher/k3s/k3s.yaml';

let api: KubeApiServer;
let server: K3sGateway;
let harness: Harness;
let connectionId: string;
let apiPort: number;
let clientKey: string;

beforeAll(async () => {
  api = await startKubeApiServer({ seed: 'demo', bookmarkIntervalMs: 200 });
  apiPort = Number(new URL(api.url).port);
  server = await startK3sGateway({ api, role: 'server', hostname: 'k3s-srv' });
  // The server's own k3s.yaml names https://127.0.0.1:6443; its API is reached through the tunnel to apiPort.
  const k3sYaml = (await readFile(api.kubeconfigPath, 'utf8')).replace(api.url, 'https://127.0.0.1:6443');
  clientKey = /client-key-data: (\S+)/.exec(k3sYaml)![1];
  await mkdir(server.path('/etc/rancher/k3s'), { recursive: true });
  await writeFile(server.path(K3S_YAML), k3sYaml, { mode: 0o600 });

  harness = await overWebSocket();
  const profile = await harness.client.call('ssh.profiles.save', {
    name: 'k3s server',
    host: server.host,
    port: server.port,
    user: server.user,
    auth: { kind: 'key', identityFile: server.privateKeyPath },
    jumpProfileIds: [],
  });
  const stop = harness.client.subscribe('ssh.hostKeyPrompts', {}, {
    next: (event) => event.type === 'ask' && void harness.client.call('ssh.answerHostKey', { promptId: event.promptId, answer: 'trust-always' }),
  });
  const connected = await harness.client.call('ssh.connect', { profileId: profile.id });
  stop();
  if (connected.status !== 'connected') throw new Error('ssh connect failed');
  connectionId = connected.connectionId;
}, 60_000);
afterAll(async () => {
  await harness?.close();
  await server?.stop();
  await api?.stop();
});

describe('cluster.contexts.addFromServer over a real sshd', () => {
  it("fetches the server's k3s.yaml, keeps a private copy pointed at an SSH tunnel, and watches the cluster through it", async () => {
    const context = await harness.client.call('cluster.contexts.addFromServer', { connectionId, remotePort: apiPort });
    const tunnelPort = Number(new URL(context.server).port);
    expect(context).toMatchObject({ contextId: 'ssh:k3s-srv:default', name: 'k3s-srv', source: 'ssh', cluster: 'default', user: 'default', snapshotAt: null, server: `https://127.0.0.1:${tunnelPort}` });
    expect(tunnelPort).not.toBe(apiPort);
    expect(context.file.startsWith(`${harness.dataDir}/cluster/ssh/`)).toBe(true);
    expect((await stat(context.file)).mode & 0o777).toBe(0o600);
    const copy = await readFile(context.file, 'utf8');
    expect(copy).toContain(`server: https://127.0.0.1:${tunnelPort}`);
    expect(copy).toContain(clientKey);
    expect(JSON.stringify(harness.received)).not.toContain(clientKey);

    const watch = new WatchRecorder(harness.client, { contextId: context.contextId });
    await watch.untilState('live');
    expect(watch.nodes.size).toBe(DEMO.nodes.length);
    api.store.addPod({ namespace: 'default', name: 'seen-through-the-tunnel', node: 'gw-agent-01' });
    await watch.until('a change through the tunnel', () => watch.pods.has('default/seen-through-the-tunnel'));
    watch.close();

    // The copy is a working kubeconfig while FieldKit holds the tunnel: the CA still verifies 127.0.0.1.
    const kubectl = await run('kubectl', ['--kubeconfig', context.file, 'get', 'nodes', '-o', 'name']);
    expect(kubectl.stdout.trim().split('\n').sort()).toEqual(DEMO.nodes.map((n) => `node/${n}`).sort());
  });

  it('names a wrong API port, and a server without k3s.yaml, with the next step', async () => {
    await expect(harness.client.call('cluster.contexts.addFromServer', { connectionId, remotePort: 1, name: 'wrong-port' })).rejects.toMatchObject({
      message: expect.stringContaining('The tunnel is open, but the K3s API on port 1 of the server does not answer through it'),
    });
    await rm(server.path(K3S_YAML));
    await expect(harness.client.call('cluster.contexts.addFromServer', { connectionId, remotePort: apiPort })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(`There is no ${K3S_YAML} on this machine`),
      hint: expect.stringContaining('Connect to the K3s server itself'),
    });
    const { contexts } = await harness.client.call('cluster.contexts', {});
    expect(contexts.map((c) => c.contextId)).toEqual(['ssh:k3s-srv:default']);
  });

  it('rides out an SSH reconnect: the tunnel survives and the watch resumes without losing a change', async () => {
    const watch = new WatchRecorder(harness.client, { contextId: 'ssh:k3s-srv:default' });
    await watch.untilState('live');
    expect(await server.sshd.killSessions()).toBeGreaterThan(0);
    api.store.addPod({ namespace: 'default', name: 'made-during-reconnect', node: 'gw-agent-02' });
    await watch.until('the change made during the SSH reconnect arrives', () => watch.pods.has('default/made-during-reconnect'));
    await watch.untilState('live');
    watch.close();
  });

  it('goes offline with the reason when the SSH connection closes, the snapshot still shown', async () => {
    const watch = new WatchRecorder(harness.client, { contextId: 'ssh:k3s-srv:default' });
    await watch.untilState('live');
    await harness.client.call('ssh.disconnect', { connectionId });
    await watch.until('offline because the SSH connection closed', () => watch.lastState?.state === 'offline' && /SSH connection to k3s-srv was closed/.test(watch.lastState.message ?? ''));
    expect(watch.lastState?.hint).toContain('add it again');
    expect(watch.pods.has('default/seen-through-the-tunnel')).toBe(true);
    watch.close();
  });
});

describe('reading k3s.yaml as a user that is not root', () => {
  it('uses sudo -n, and says what to do when that cannot work', async () => {
    const sshd = await startSshd();
    const env = await testEnv();
    try {
      const { user, password } = await ensurePasswordUser();
      const target = { host: '127.0.0.1', port: sshd.port, user, auth: { kind: 'password' as const, password } };
      const session = new SshSession(await connectChain([target], { trust: env.trust, strict: 'accept-new' }));
      await expect(readK3sKubeconfig(session)).rejects.toMatchObject({
        message: `Reading ${K3S_YAML} needs root, and this user is not root and the server has no sudo.`,
        hint: 'Connect as root, or start k3s with --write-kubeconfig-mode 644.',
      });
      session.close();
      const root = await openSession(sshd, env);
      const copy = `${env.dir}/k3s.yaml`;
      await writeFile(copy, 'apiVersion: v1\n');
      expect(await readK3sKubeconfig(root, copy)).toBe('apiVersion: v1\n');
      root.close();
    } finally {
      await sshd.stop();
      await env.cleanup();
    }
  });
});
