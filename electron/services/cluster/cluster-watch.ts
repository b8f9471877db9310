import { ClusterState, RESOURCE_KINDS, changeOf, coalesce, viewOf, type ResourceKind } from '../../../shared/cluster/cluster-state.js';
import type { KubeEvent, KubeNode, KubePod } from '../../../shared/cluster/kube-objects.js';
import type { ClusterChange, ClusterWatchEvent } from '../../../shared/contract/cluster.js';
import type { BackoffOptions } from '../../../shared/ssh/backoff.js';
import { clusterError } from './api-errors.js';
import type { KubeHttp } from './kube-http.js';
import { runResourceWatch } from './resource-watch.js';
import type { SnapshotStore } from './snapshot-store.js';

type StateEvent = Extract<ClusterWatchEvent, { type: 'state' }>;

export interface ClusterWatchOptions {
  contextId: string;
  namespace?: string;
  /** The API server's URL, for messages. */
  server: string;
  connect: () => Promise<KubeHttp>;
  snapshots: SnapshotStore;
  /** Changes are held this long and sent as one batch (several changes to one object leave the last). */
  batchMs?: number;
  /** At most one snapshot write per this interval while changes arrive. */
  persistMs?: number;
  /** While live and quiet, the snapshot's time is refreshed this often. */
  heartbeatMs?: number;
  backoff?: Partial<BackoffOptions>;
  now?: () => Date;
}

const PATHS: Record<ResourceKind, (ns?: string) => string> = {
  node: () => '/api/v1/nodes',
  pod: (ns) => (ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods'),
  event: (ns) => (ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/events` : '/api/v1/events'),
};

interface KindStatus {
  listed: boolean;
  live: boolean;
  error?: unknown;
}

/**
 * One cluster (context and namespace scope) watched for any number of subscribers: the snapshot at once, then
 * list + watch of nodes, pods and events, changes batched, the state persisted (throttled) for offline use.
 */
export class ClusterWatch {
  private readonly state = new ClusterState();
  private readonly listeners = new Set<(event: ClusterWatchEvent) => void>();
  private readonly kinds: Record<ResourceKind, KindStatus> = { node: { listed: false, live: false }, pod: { listed: false, live: false }, event: { listed: false, live: false } };
  private readonly abort = new AbortController();
  private pending: ClusterChange[] = [];
  private resetPending = false;
  private batchTimer: NodeJS.Timeout | undefined;
  private persistTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastPersist = 0;
  private writing: Promise<void> = Promise.resolve();
  private hasData = false;
  private asOf: string | null = null;
  private current: StateEvent = { type: 'state', state: 'connecting', asOf: null };
  private saveProblem: { message: string; hint: string } | undefined;
  private loops: Promise<void>[] = [];
  private readonly now: () => Date;

  constructor(private readonly opts: ClusterWatchOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Loads the snapshot and starts the watches. */
  async start(): Promise<void> {
    const snapshot = await this.opts.snapshots.read(this.opts.contextId, this.opts.namespace);
    if (snapshot) {
      this.state.load(snapshot);
      this.hasData = true;
      this.asOf = snapshot.asOf;
    }
    this.setState({ type: 'state', state: 'connecting', asOf: this.asOf });
    this.loops = RESOURCE_KINDS.map((kind) =>
      runResourceWatch({
        connect: this.opts.connect,
        path: PATHS[kind](kind === 'node' ? undefined : this.opts.namespace),
        signal: this.abort.signal,
        backoff: this.opts.backoff,
        listener: {
          listed: (items) => this.listed(kind, items),
          changed: (type, object) => this.changed(kind, type, object),
          connected: () => this.kindState(kind, { live: true, error: undefined }),
          failed: (error) => this.kindState(kind, { live: false, error }),
        },
      }),
    );
  }

  /** Sends the current state to a new subscriber, then everything after. */
  subscribe(listener: (event: ClusterWatchEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.hasData) listener(this.resetEvent());
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Ends the watches; the snapshot is written a last time unless `persist` is false (the context is being forgotten). */
  async stop({ persist = true } = {}): Promise<void> {
    this.abort.abort();
    clearTimeout(this.batchTimer);
    clearTimeout(this.persistTimer);
    clearInterval(this.heartbeat);
    await Promise.all(this.loops);
    // Live until now: the snapshot is true as of this moment, changed or not.
    if (persist && this.current.state === 'live') this.persist(this.now().toISOString());
    else if (persist && this.dirty && this.asOf) this.persist(this.asOf);
    await this.writing;
  }

  private get synced(): boolean {
    return RESOURCE_KINDS.every((k) => this.kinds[k].listed);
  }

  private listed(kind: ResourceKind, items: unknown[]): void {
    this.state.replace(kind, items.map((item) => viewOf(kind, item as KubeNode & KubePod & KubeEvent)));
    const firstSync = !this.synced;
    this.kinds[kind].listed = true;
    if (!this.synced) return;
    this.hasData = true;
    this.resetPending = true;
    // The first whole state goes out at once; re-lists after 410 (often all three kinds together) share one reset.
    if (firstSync) this.flush();
    else this.batchTimer ??= setTimeout(() => this.flush(), this.opts.batchMs ?? 150);
    this.touch();
  }

  private changed(kind: ResourceKind, type: string, object: unknown): void {
    const change = changeOf(kind, type, object as KubeNode & KubePod & KubeEvent);
    if (!change) return;
    this.state.apply(change);
    if (!this.synced) return;
    this.pending.push(change);
    this.batchTimer ??= setTimeout(() => this.flush(), this.opts.batchMs ?? 150);
    this.touch();
  }

  private flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.resetPending) this.broadcast(this.resetEvent());
    else if (this.pending.length > 0) this.broadcast({ type: 'changes', changes: coalesce(this.pending) });
    this.resetPending = false;
    this.pending = [];
  }

  private resetEvent(): ClusterWatchEvent {
    return { type: 'reset', ...this.state.data() };
  }

  private kindState(kind: ResourceKind, change: Partial<KindStatus>): void {
    Object.assign(this.kinds[kind], change);
    const failing = RESOURCE_KINDS.map((k) => this.kinds[k].error).find((e) => e !== undefined);
    if (failing !== undefined) {
      const wasLive = this.current.state === 'live';
      if (wasLive) this.asOf = this.now().toISOString();
      const told = clusterError(failing, this.opts.server);
      this.setState({ type: 'state', state: 'offline', asOf: this.asOf, message: told.message, ...(told.hint && { hint: told.hint }) });
      if (wasLive && this.hasData) this.persist(this.asOf!);
    } else if (this.synced && RESOURCE_KINDS.every((k) => this.kinds[k].live)) {
      this.flush();
      this.setState({ type: 'state', state: 'live', asOf: null });
      this.heartbeat ??= setInterval(() => this.current.state === 'live' && this.persist(this.now().toISOString()), this.opts.heartbeatMs ?? 60_000);
    }
  }

  private setState(wanted: StateEvent): void {
    const next = this.saveProblem && wanted.state !== 'offline' ? { ...wanted, ...this.saveProblem } : wanted;
    const same = next.state === this.current.state && next.asOf === this.current.asOf && next.message === this.current.message;
    this.current = next;
    if (!same) this.broadcast(next);
  }

  private broadcast(event: ClusterWatchEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** A change while live: write the snapshot soon, at most once per persistMs. */
  private touch(): void {
    this.dirty = true;
    if (this.persistTimer) return;
    const wait = Math.max(0, this.lastPersist + (this.opts.persistMs ?? 2000) - Date.now());
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      if (this.current.state !== 'offline') this.persist(this.now().toISOString());
    }, wait);
  }

  /** A failed write is told on every state but offline (the live view goes on); the next good one clears it. */
  private saved(error?: unknown): void {
    this.saveProblem = error === undefined ? undefined : { message: `The offline snapshot could not be saved: ${(error as Error).message}`, hint: 'Free space in the FieldKit data folder; the live view is not affected.' };
    const { message: _message, hint: _hint, ...state } = this.current;
    this.setState(state.state === 'offline' ? this.current : state);
  }

  private persist(asOf: string): void {
    if (!this.synced) return;
    this.dirty = false;
    this.lastPersist = Date.now();
    const snapshot = { asOf, ...this.state.data() };
    this.writing = this.writing.then(() => this.opts.snapshots.write(this.opts.contextId, this.opts.namespace, snapshot)).then(
      () => this.saved(),
      (error: unknown) => this.saved(error),
    );
  }
}
