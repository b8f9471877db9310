import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterContextView, ClusterWatchEvent } from '../../../shared/contract/cluster.js';
import { FieldkitError } from '../../../shared/contract/errors.js';
import type { LogSink } from '../../../shared/logs/record.js';
import type { ManagedConnection } from '../ssh/managed-connection.js';
import type { SshSession } from '../ssh/session.js';
import type { LocalForward } from '../ssh/tunnel.js';
import { clusterError } from './api-errors.js';
import { ClusterWatch } from './cluster-watch.js';
import { ContextCatalog, clusterPaths, kubeConfigFor, type ContextRecord } from './contexts.js';
import { K3S_KUBECONFIG, pointAtTunnel, readK3sKubeconfig } from './k3s-kubeconfig.js';
import { KubeHttp } from './kube-http.js';
import { LogMarks } from './log-marks.js';
import { SnapshotStore } from './snapshot-store.js';

export interface ClusterServiceOptions {
  dataDir: string;
  sink: LogSink;
  ssh: { managed(connectionId: string): ManagedConnection; session(connectionId: string): Promise<SshSession> };
  /** The user's kubeconfig files; default $KUBECONFIG's list or ~/.kube/config. */
  kubeconfigFiles?: () => string[];
  /** Where a K3s server keeps its kubeconfig (tests point it elsewhere). */
  k3sKubeconfigPath?: string;
}

interface Tunnel {
  connectionId: string;
  forward: LocalForward;
}

interface Hub {
  watch: ClusterWatch;
  ready: Promise<void>;
  /** Ends each subscriber's stream (the context was removed). */
  enders: Set<(error?: unknown) => void>;
}

const NO_TUNNEL_HINT = 'Connect to the K3s server over SSH and add it again from there; until then the last snapshot is shown.';

/**
 * Contexts, API clients and shared watches of the clusters FieldKit knows. A K3s server added over SSH is reached
 * through a local tunnel on that connection, held while this process runs.
 */
export class ClusterService {
  readonly catalog: ContextCatalog;
  readonly snapshots: SnapshotStore;
  readonly marks: LogMarks;
  private readonly tunnels = new Map<string, Tunnel>();
  private readonly hubs = new Map<string, Hub>();
  /** Watches whose last subscriber left, still writing their final snapshot. */
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly opts: ClusterServiceOptions) {
    const paths = clusterPaths(opts.dataDir);
    this.catalog = new ContextCatalog(opts.dataDir, opts.kubeconfigFiles);
    this.snapshots = new SnapshotStore(paths.snapshots);
    this.marks = new LogMarks(paths.logMarks);
  }

  get sink(): LogSink {
    return this.opts.sink;
  }

  async contexts(): Promise<ClusterContextView[]> {
    return Promise.all((await this.catalog.list()).map((record) => this.view(record)));
  }

  async view({ contextName: _name, ...record }: ContextRecord): Promise<ClusterContextView> {
    return { ...record, snapshotAt: await this.snapshots.latest(record.contextId) };
  }

  /** The client configuration of a context; for one added over SSH, only while its tunnel is open. */
  async kubeConfigOf(contextId: string): Promise<KubeConfig> {
    const record = await this.catalog.get(contextId);
    if (record.source === 'ssh') this.liveTunnel(record.name);
    return kubeConfigFor(record.file, record.contextName);
  }

  async client(contextId: string): Promise<KubeHttp> {
    return new KubeHttp(await this.kubeConfigOf(contextId));
  }

  /**
   * Reads the K3s server's kubeconfig over the connection, opens a tunnel to its API on that connection, checks
   * the API answers through it, and stores FieldKit's copy pointed at the tunnel.
   */
  async addFromServer(connectionId: string, remotePort: number, name?: string): Promise<ClusterContextView> {
    const session = await this.opts.ssh.session(connectionId);
    const kubeconfig = await readK3sKubeconfig(session, this.opts.k3sKubeconfigPath ?? K3S_KUBECONFIG);
    const serverName = name ?? ((await session.execText('hostname')).stdout.trim() || 'k3s');
    const forward = await this.opts.ssh.managed(connectionId).forwardLocal({ remoteHost: '127.0.0.1', remotePort });
    try {
      const copy = pointAtTunnel(kubeconfig, forward.localPort);
      await checkApi(copy, remotePort);
      const records = await this.catalog.addSsh(serverName, copy);
      await this.tunnels.get(serverName)?.forward.close();
      this.tunnels.set(serverName, { connectionId, forward });
      return this.view(records.find((r) => r.current) ?? records[0]);
    } catch (error) {
      await forward.close();
      throw error;
    }
  }

  async remove(contextId: string): Promise<void> {
    const record = await this.catalog.remove(contextId);
    const mine = (key: string) => key.startsWith(`${contextId}\u0000`);
    for (const [key, hub] of this.hubs) {
      if (!mine(key)) continue;
      this.hubs.delete(key);
      for (const end of hub.enders) end(new FieldkitError('not_found', `The context ${record.name} was removed.`));
      this.stopping.set(key, hub.watch.stop({ persist: false }));
    }
    await Promise.all([...this.stopping].filter(([key]) => mine(key)).map(([, stopped]) => stopped));
    if (record.source === 'ssh') await this.closeTunnel(record.name);
    await this.snapshots.remove(contextId);
  }

  /** Joins (or starts) the shared watch of a context and namespace scope; resolves to the unsubscribe function. */
  async watch(contextId: string, namespace: string | undefined, emit: (event: ClusterWatchEvent) => void, end: (error?: unknown) => void): Promise<() => void> {
    const record = await this.catalog.get(contextId);
    const key = `${contextId}\u0000${namespace ?? ''}`;
    let hub = this.hubs.get(key);
    if (!hub) {
      const watch = new ClusterWatch({
        contextId,
        namespace,
        server: record.server,
        connect: () => this.client(contextId),
        snapshots: this.snapshots,
      });
      hub = { watch, ready: watch.start(), enders: new Set() };
      this.hubs.set(key, hub);
    }
    await hub.ready;
    const joined = hub;
    const unsubscribe = joined.watch.subscribe(emit);
    joined.enders.add(end);
    return () => {
      unsubscribe();
      joined.enders.delete(end);
      if (joined.watch.subscribers > 0 || this.hubs.get(key) !== joined) return;
      this.hubs.delete(key);
      const stopped = joined.watch.stop().finally(() => this.stopping.get(key) === stopped && this.stopping.delete(key));
      this.stopping.set(key, stopped);
    };
  }

  async close(): Promise<void> {
    const hubs = [...this.hubs.values()];
    this.hubs.clear();
    await Promise.all([...hubs.map((hub) => hub.watch.stop()), ...this.stopping.values()]);
    await Promise.all([...this.tunnels.keys()].map((name) => this.closeTunnel(name)));
    await this.marks.close();
  }

  private liveTunnel(name: string): Tunnel {
    const tunnel = this.tunnels.get(name);
    if (!tunnel) throw new FieldkitError('unavailable', `No SSH tunnel to ${name} is open (FieldKit reaches this K3s server through its SSH connection).`, NO_TUNNEL_HINT);
    try {
      this.opts.ssh.managed(tunnel.connectionId);
    } catch {
      // Kept (closed) until the server is added again, so every retry tells the same reason.
      void tunnel.forward.close();
      throw new FieldkitError('unavailable', `The SSH connection to ${name} was closed, and with it the tunnel to its API.`, NO_TUNNEL_HINT);
    }
    return tunnel;
  }

  private async closeTunnel(name: string): Promise<void> {
    const tunnel = this.tunnels.get(name);
    this.tunnels.delete(name);
    await tunnel?.forward.close();
  }
}

/** One authenticated request through the tunnel, so a wrong port or a rejected certificate shows at once. */
async function checkApi(kubeconfigYaml: string, remotePort: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  const client = new KubeHttp(kc);
  try {
    await client.json('GET', '/api/v1/nodes?limit=1', { idleTimeoutMs: 10_000 });
  } catch (error) {
    const told = clusterError(error, client.server);
    throw new FieldkitError(told.code, `The tunnel is open, but the K3s API on port ${remotePort} of the server does not answer through it: ${told.message}`, told.hint ?? 'Check that k3s runs on the server (systemctl status k3s).');
  }
}
