import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterContract, joinEventSchema, type JoinEvent } from '../../../shared/contract/cluster.js';
import { FieldkitError } from '../../../shared/contract/errors.js';
import { createClusterJoinHandlers } from '../../../electron/backend/cluster-join-handlers.js';
import type { SshBackend } from '../../../electron/backend/ssh-handlers.js';
import { connectChain } from '../../../electron/services/ssh/connect.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { HostTrustStore } from '../../../electron/services/ssh/trust-store.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { K3S_RELEASE_DIR, startK3sGateway, type K3sGateway } from '../../harness/k3s-gateway.js';
import { startKubeApiServer, type KubeApiServer } from '../../harness/kube-api/index.js';
import { MemorySink } from '../../harness/memory-sink.js';
import { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';

describe('air-gap bundles over the contract', () => {
  let harness: Harness;
  beforeAll(async () => void (harness = await overWebSocket()));
  afterAll(() => harness?.close());

  const importDir = (dir: string) =>
    new Promise<{ events: unknown[]; error?: FieldkitError }>((resolve) => {
      const events: unknown[] = [];
      harness.client.subscribe('cluster.bundles.import', { dir }, { next: (e) => events.push(e), end: (error) => resolve({ events, ...(error ? { error } : {}) }) });
    });

  it('imports a release folder and lists it', async () => {
    const { events, error } = await importDir(K3S_RELEASE_DIR);
    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'done', bundle: { version: 'v1.31.4+k3s1', arch: 'amd64', binary: 'k3s' } });
    const { bundles } = await harness.client.call('cluster.bundles', {});
    expect(bundles.map((b) => `${b.version}/${b.arch}`)).toEqual(['v1.31.4+k3s1/amd64']);
  });

  it('tells what is wrong with a folder', async () => {
    const { error } = await importDir('/nonexistent/k3s');
    expect(error).toMatchObject({ code: 'bad_request', message: '/nonexistent/k3s does not exist' });
    expect(error?.hint).toMatch(/sha256sum-<arch>\.txt/);
  });
});

describe('join handlers', () => {
  let api: KubeApiServer;
  let gw: K3sGateway;
  let session: SshSession;
  let handlers: ReturnType<typeof createClusterJoinHandlers>;
  const sink = new MemorySink();

  beforeAll(async () => {
    api = await startKubeApiServer({ seed: 'empty', nodeReadyDelayMs: 300 });
    gw = await startK3sGateway({ api, hostname: 'gw-h' });
    const auth = { kind: 'key' as const, privateKey: await readFile(gw.privateKeyPath), source: gw.privateKeyPath };
    session = new SshSession(await connectChain([{ host: gw.host, port: gw.port, user: 'root', auth }], { trust: new HostTrustStore(join(gw.state, 'kh'), []), strict: 'accept-new' }));
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
    const ssh = { session: async () => session, managed: () => { throw new Error('unused'); } } as unknown as Pick<SshBackend, 'managed' | 'session'>;
    handlers = createClusterJoinHandlers({ dataDir: join(gw.state, 'data'), sink, ssh, kubeConfigOf: async () => kc, readyTimeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await handlers?.close();
    session?.close();
    await gw?.stop();
    await api?.stop();
  });

  const run = (token: string) =>
    new Promise<{ events: JoinEvent[]; error?: FieldkitError }>((resolve) => {
      const events: JoinEvent[] = [];
      const input = clusterContract['cluster.join'].input.parse({
        gatewayConnectionId: 'gw',
        server: api.url,
        token: { kind: 'pasted', token },
        contextId: 'ctx',
        mode: 'airgap',
      });
      handlers.handlers['cluster.join'](input, (e) => events.push(joinEventSchema.parse(e)), {
        signal: new AbortController().signal,
        end: (error) => resolve({ events, ...(error ? { error: error as FieldkitError } : {}) }),
      });
    });

  it('ends a join with a CA mismatch as a told failure with the next step, never showing the token', async () => {
    const forged = `K10${'f'.repeat(64)}::server:${api.joinToken.split('::server:')[1]}`;
    const { events, error } = await run(forged);
    expect(error).toBeInstanceOf(FieldkitError);
    expect(error).toMatchObject({ code: 'failed' });
    expect(error?.hint).toMatch(/The token was not sent/);
    expect(JSON.stringify([events, error?.message, error?.hint])).not.toContain(api.joinToken.split('::server:')[1]);
  }, 60_000);

  it('runs a whole join whose events all fit the contract', async () => {
    await new Promise<void>((resolve, reject) =>
      handlers.handlers['cluster.bundles.import']({ dir: K3S_RELEASE_DIR }, () => undefined, { signal: new AbortController().signal, end: (e) => (e ? reject(e) : resolve()) }),
    );
    const { events, error } = await run(api.joinToken);
    expect(error).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'done', nodeName: 'gw-h' });
    const pre = await handlers.handlers['cluster.join.preflight']({ gatewayConnectionId: 'gw', server: api.url, contextId: 'ctx' }, { signal: new AbortController().signal });
    expect(pre).toMatchObject({ arch: 'amd64', hostname: 'gw-h' });
    expect(pre.checks.find((c) => c.id === 'existing-k3s')).toMatchObject({ status: 'warn', detail: 'K3s already installed (k3s version v1.31.4+k3s1 (stand-in), agent running)' });
  }, 60_000);
});
