import { ageOf } from '../../../../shared/cluster/age.js';
import { keyOf } from '../../../../shared/cluster/cluster-state.js';
import type { ClusterChange, ClusterWatchEvent, EventView, NodeView, PodView } from '../../../../shared/contract/cluster.js';


/** What the watch has told us, keyed as the contract keys deletes: `name` for nodes, `namespace/name` otherwise. */
export interface ClusterObjects {
  nodes: ReadonlyMap<string, NodeView>;
  pods: ReadonlyMap<string, PodView>;
  events: ReadonlyMap<string, EventView>;
}

export const EMPTY_OBJECTS: ClusterObjects = { nodes: new Map(), pods: new Map(), events: new Map() };

export const podKey = (p: Pick<PodView, 'namespace' | 'name'>) => keyOf('pod', p);

export function fromReset(event: Extract<ClusterWatchEvent, { type: 'reset' }>): ClusterObjects {
  return {
    nodes: new Map(event.nodes.map((n) => [keyOf('node', n), n])),
    pods: new Map(event.pods.map((p) => [keyOf('pod', p), p])),
    events: new Map(event.events.map((e) => [keyOf('event', e), e])),
  };
}

const MAP_OF = { node: 'nodes', pod: 'pods', event: 'events' } as const;
type Kind = ClusterChange['kind'];

/**
 * Applies one batch. Maps the batch does not touch keep their identity, and so does every object it does not
 * replace: the tables re-render only the rows that changed.
 */
export function applyChanges(objects: ClusterObjects, changes: readonly ClusterChange[]): ClusterObjects {
  const copies = new Map<Kind, Map<string, unknown>>();
  const current = (kind: Kind): ReadonlyMap<string, unknown> => copies.get(kind) ?? objects[MAP_OF[kind]];
  const writable = (kind: Kind) => {
    let copy = copies.get(kind);
    if (!copy) copies.set(kind, (copy = new Map<string, unknown>(objects[MAP_OF[kind]])));
    return copy;
  };
  for (const change of changes) {
    if (change.op === 'delete') {
      if (current(change.kind).has(change.key)) writable(change.kind).delete(change.key);
    } else writable(change.kind).set(keyOf(change.kind, change.object), change.object);
  }
  return {
    nodes: (copies.get('node') as Map<string, NodeView> | undefined) ?? objects.nodes,
    pods: (copies.get('pod') as Map<string, PodView> | undefined) ?? objects.pods,
    events: (copies.get('event') as Map<string, EventView> | undefined) ?? objects.events,
  };
}

// ---- Time --------------------------------------------------------------------------------------------------

/** kubectl's age of an instant (`42s`, `7m12s`, `3d4h`), empty when there is none. */
export const since = (instant: string | undefined, now: number) => (instant ? ageOf(instant, now) : '');

/** Local `YYYY-MM-DD HH:MM:SS` of an ISO instant, for "as of" banners. */
export function formatInstant(instant: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// ---- Status ------------------------------------------------------------------------------------------------

export type Tone = 'ok' | 'warn' | 'bad' | 'done';

const BAD_STATUS = /BackOff|Err|Error|Failed|OOMKilled|Evicted|Unknown|NodeLost|ContainerCannotRun|DeadlineExceeded|Invalid/i;
const DONE_STATUS = new Set(['Completed', 'Succeeded']);

export function podTone(pod: Pick<PodView, 'status' | 'ready' | 'total'>): Tone {
  if (BAD_STATUS.test(pod.status)) return 'bad';
  if (DONE_STATUS.has(pod.status)) return 'done';
  if (pod.status === 'Running' && pod.ready === pod.total) return 'ok';
  return 'warn';
}

export function nodeTone(node: Pick<NodeView, 'ready' | 'unschedulable' | 'pressure'>): Tone {
  if (node.ready !== 'True') return 'bad';
  return node.unschedulable || node.pressure.length > 0 ? 'warn' : 'ok';
}

// ---- Workloads ---------------------------------------------------------------------------------------------

export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet';

/** The workload a rollout restart acts on: the owner, or the Deployment behind a ReplicaSet owner. */
export function workloadOf(pod: Pick<PodView, 'owner' | 'labels'>): { kind: WorkloadKind; name: string } | undefined {
  const owner = pod.owner;
  if (!owner) return undefined;
  if (owner.kind === 'Deployment' || owner.kind === 'DaemonSet' || owner.kind === 'StatefulSet') return { kind: owner.kind, name: owner.name };
  const hash = pod.labels['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  return undefined;
}

/** The watched events about one object, newest first. */
export function eventsFor(events: ReadonlyMap<string, EventView>, kind: string, namespace: string | undefined, name: string): EventView[] {
  const out: EventView[] = [];
  for (const e of events.values()) if (e.object.kind === kind && e.object.name === name && (kind === 'Node' || e.object.namespace === namespace)) out.push(e);
  return out.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}
