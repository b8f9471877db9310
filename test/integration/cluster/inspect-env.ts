import { expect } from 'vitest';
import type { FieldkitClient } from '../../../shared/contract/client.js';
import type { ClusterWatchEvent, EventView, NodeView, PodView } from '../../../shared/contract/cluster.js';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../../harness/kube-api/index.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';

export interface InspectEnv {
  api: KubeApiServer;
  harness: Harness;
  /** The API test server's kubeconfig, added as a cluster context. */
  contextId: string;
  close(): Promise<void>;
}

/** The API test server and a FieldKit backend over WebSocket that knows it as a context; `close` stops both. */
export async function startInspectEnv(options: KubeApiServerOptions): Promise<InspectEnv> {
  const api = await startKubeApiServer(options);
  let harness: Harness | undefined;
  const close = async () => {
    await harness?.close();
    await api.stop();
  };
  try {
    harness = await overWebSocket();
    const { contexts } = await harness.client.call('cluster.contexts.addFile', { path: api.kubeconfigPath });
    return { api, harness, contextId: contexts[0].contextId, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A `cluster.watch` subscription that keeps every event and the state they add up to, as a UI would. */
export class WatchRecorder {
  readonly events: ClusterWatchEvent[] = [];
  readonly nodes = new Map<string, NodeView>();
  readonly pods = new Map<string, PodView>();
  readonly clusterEvents = new Map<string, EventView>();
  ended: { error?: FieldkitError } | undefined;
  private readonly stop: () => void;

  constructor(client: FieldkitClient, input: { contextId: string; namespace?: string }) {
    this.stop = client.subscribe('cluster.watch', input, {
      next: (event) => this.apply(event),
      end: (error) => (this.ended = { error }),
    });
  }

  get states(): Extract<ClusterWatchEvent, { type: 'state' }>[] {
    return this.events.filter((e): e is Extract<ClusterWatchEvent, { type: 'state' }> => e.type === 'state');
  }

  get lastState(): Extract<ClusterWatchEvent, { type: 'state' }> | undefined {
    return this.states.at(-1);
  }

  count(type: ClusterWatchEvent['type']): number {
    return this.events.filter((e) => e.type === type).length;
  }

  async until(what: string, predicate: () => boolean, timeout = 20_000): Promise<void> {
    await expect.poll(predicate, { timeout, interval: 25, message: what }).toBe(true);
  }

  untilState(state: 'connecting' | 'live' | 'offline', timeout?: number): Promise<void> {
    return this.until(`state ${state}`, () => this.lastState?.state === state, timeout);
  }

  close(): void {
    this.stop();
  }

  private apply(event: ClusterWatchEvent): void {
    this.events.push(event);
    if (event.type === 'reset') {
      this.nodes.clear();
      this.pods.clear();
      this.clusterEvents.clear();
      for (const n of event.nodes) this.nodes.set(n.name, n);
      for (const p of event.pods) this.pods.set(`${p.namespace}/${p.name}`, p);
      for (const e of event.events) this.clusterEvents.set(`${e.namespace}/${e.name}`, e);
    } else if (event.type === 'changes') {
      for (const change of event.changes) {
        const maps = { node: this.nodes, pod: this.pods, event: this.clusterEvents } as const;
        const map = maps[change.kind] as Map<string, unknown>;
        if (change.op === 'delete') map.delete(change.key);
        else map.set(change.kind === 'node' ? change.object.name : `${change.object.namespace}/${change.object.name}`, change.object);
      }
    }
  }
}
