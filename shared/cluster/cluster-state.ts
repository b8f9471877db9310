import type { ClusterChange, EventView, NodeView, PodView } from '../contract/cluster.js';
import { eventView } from './event-view.js';
import type { KubeEvent, KubeNode, KubePod } from './kube-objects.js';
import { nodeView } from './node-view.js';
import { podView } from './pod-view.js';

export type ResourceKind = 'node' | 'pod' | 'event';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['node', 'pod', 'event'];

interface Views {
  node: NodeView;
  pod: PodView;
  event: EventView;
}
export type ResourceView<K extends ResourceKind> = Views[K];
interface Raw {
  node: KubeNode;
  pod: KubePod;
  event: KubeEvent;
}

export interface ClusterSnapshotData {
  nodes: NodeView[];
  pods: PodView[];
  events: EventView[];
}

const VIEW: { [K in ResourceKind]: (raw: Raw[K]) => Views[K] } = { node: nodeView, pod: podView, event: eventView };

/** `name` for nodes, `namespace/name` otherwise (the key of a delete change). */
export function keyOf(kind: ResourceKind, view: { name: string; namespace?: string }): string {
  return kind === 'node' ? view.name : `${view.namespace ?? ''}/${view.name}`;
}

export function viewOf<K extends ResourceKind>(kind: K, raw: Raw[K]): Views[K] {
  return VIEW[kind](raw);
}

/** The change a watch event makes, or undefined for bookmarks and errors. */
export function changeOf<K extends ResourceKind>(kind: K, type: string, raw: Raw[K]): ClusterChange | undefined {
  if (type === 'ADDED' || type === 'MODIFIED') return { op: 'upsert', kind, object: viewOf(kind, raw) } as ClusterChange;
  if (type === 'DELETED') return { op: 'delete', kind, key: keyOf(kind, viewOf(kind, raw)) };
  return undefined;
}

const changeKey = (c: ClusterChange) => `${c.kind}\u0000${c.op === 'delete' ? c.key : keyOf(c.kind, c.object)}`;

/** Several changes to one object within a batch leave only the last (in the order of that last change). */
export function coalesce(changes: readonly ClusterChange[]): ClusterChange[] {
  const last = new Map<string, ClusterChange>();
  for (const change of changes) {
    const key = changeKey(change);
    last.delete(key);
    last.set(key, change);
  }
  return [...last.values()];
}

/** The nodes, pods and events of one cluster as FieldKit last saw them, keyed like the change events. */
export class ClusterState {
  private readonly maps: { [K in ResourceKind]: Map<string, Views[K]> } = { node: new Map(), pod: new Map(), event: new Map() };

  /** Everything at once (a snapshot read from disk). */
  load(data: ClusterSnapshotData): void {
    this.replace('node', data.nodes);
    this.replace('pod', data.pods);
    this.replace('event', data.events);
  }

  replace<K extends ResourceKind>(kind: K, views: readonly Views[K][]): void {
    const map = this.maps[kind] as Map<string, Views[K]>;
    map.clear();
    for (const view of views) map.set(keyOf(kind, view), view);
  }

  apply(change: ClusterChange): void {
    const map = this.maps[change.kind] as Map<string, Views[ResourceKind]>;
    if (change.op === 'delete') map.delete(change.key);
    else map.set(keyOf(change.kind, change.object), change.object);
  }

  get size(): Record<ResourceKind, number> {
    return { node: this.maps.node.size, pod: this.maps.pod.size, event: this.maps.event.size };
  }

  data(): ClusterSnapshotData {
    return { nodes: [...this.maps.node.values()], pods: [...this.maps.pod.values()], events: [...this.maps.event.values()] };
  }
}
