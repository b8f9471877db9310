import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JoinEvent, JoinPlan } from '../../../shared/contract/cluster.js';
import { joinPlanSchema } from '../../../shared/contract/cluster.js';
import { connectChain } from '../../../electron/services/ssh/connect.js';
import { SshSession } from '../../../electron/services/ssh/session.js';
import { HostTrustStore } from '../../../electron/services/ssh/trust-store.js';
import { ClusterJoinService } from '../../../electron/services/cluster/join/service.js';
import { K3S_RELEASE_DIR, startK3sGateway, type K3sGateway, type K3sGatewayOptions } from '../../harness/k3s-gateway.js';
import { startKubeApiServer, type KubeApiServer } from '../../harness/kube-api/index.js';
import { MemorySink } from '../../harness/memory-sink.js';

/** One API test server, a join service with the fixture bundle imported, and stand-in gateways connected over SSH. */
export interface JoinEnv {
  api: KubeApiServer;
  kc: KubeConfig;
  dataDir: string;
  sink: MemorySink;
  service: ClusterJoinService;
  /** Starts a gateway and opens an SSH session to it under `connectionId`. */
  gateway(connectionId: string, opts?: Omit<K3sGatewayOptions, 'api'>): Promise<K3sGateway>;
  plan(over: Partial<JoinPlan> & { gatewayConnectionId: string }): JoinPlan;
  /** Runs a join to its end; resolves with every event and the error it ended with, if any. */
  join(plan: JoinPlan): Promise<{ events: JoinEvent[]; error?: Error & { hint?: string } }>;
  close(): Promise<void>;
}

export async function startJoinEnv(opts: { readyTimeoutMs?: number } = {}): Promise<JoinEnv> {
  const api = await startKubeApiServer({ seed: 'empty', nodeReadyDelayMs: 300 });
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const dataDir = await mkdtemp(join(tmpdir(), 'fk-join-'));
  const sink = new MemorySink();
  const sessions = new Map<string, SshSession>();
  const gateways: K3sGateway[] = [];
  const service = new ClusterJoinService({
    dataDir,
    sink,
    sessionOf: async (id) => {
      const s = sessions.get(id);
      if (!s) throw new Error(`no session ${id}`);
      return s;
    },
    kubeConfigOf: async () => kc,
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    drainTimeoutMs: 10_000,
  });
  await service.importBundles(K3S_RELEASE_DIR, () => undefined);
  const trust = new HostTrustStore(join(dataDir, 'known_hosts'), []);

  return {
    api,
    kc,
    dataDir,
    sink,
    service,
    async gateway(connectionId, gwOpts = {}) {
      const gw = await startK3sGateway({ api, ...gwOpts });
      gateways.push(gw);
      const auth = { kind: 'key' as const, privateKey: await readFile(gw.privateKeyPath), source: gw.privateKeyPath };
      const link = await connectChain([{ host: gw.host, port: gw.port, user: gw.user, auth }], { trust, strict: 'accept-new' });
      sessions.set(connectionId, new SshSession(link));
      return gw;
    },
    plan: (over) =>
      joinPlanSchema.parse({ server: api.url, token: { kind: 'pasted', token: api.joinToken }, contextId: 'test', mode: 'airgap', ...over }),
    async join(plan) {
      const events: JoinEvent[] = [];
      try {
        await service.join(plan, (e) => events.push(e), new AbortController().signal);
        return { events };
      } catch (error) {
        return { events, error: error as Error & { hint?: string } };
      }
    },
    async close() {
      for (const s of sessions.values()) s.close();
      for (const gw of gateways) await gw.stop();
      await api.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `step:state` pairs in order, e.g. `preflight:running`. */
export const stepTrail = (events: JoinEvent[]) => events.flatMap((e) => (e.type === 'step' ? [`${e.step}:${e.state}`] : []));

/** Everything a technician or the log index could ever see, as one string. */
export const everythingSeen = (events: unknown[], sink: MemorySink) =>
  JSON.stringify([events, sink.durable], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
