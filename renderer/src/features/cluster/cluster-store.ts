import { withHint } from '../../app/format.js';
import { create } from 'zustand';
import type { ClusterContextView, ClusterWatchEvent } from '../../../../shared/contract/cluster.js';
import type { FieldkitClient } from '../../../../shared/contract/client.js';
import type { SshConnectionView } from '../../../../shared/contract/ssh.js';
import { applyChanges, EMPTY_OBJECTS, fromReset, podKey, workloadOf, type ClusterObjects } from './cluster-model.js';
import { startLeaveRun, type LeaveRun } from './join-model.js';
import type { NodeColumn, PodColumn, Sort } from './table-model.js';

export type Link = Omit<Extract<ClusterWatchEvent, { type: 'state' }>, 'type'>;
export type ClusterView = 'pods' | 'nodes' | 'join';
export type PodTab = 'logs' | 'events' | 'yaml' | 'shell';
export type NodeTab = 'details' | 'events' | 'yaml' | 'leave';
export type Drawer = { kind: 'pod'; key: string; tab: PodTab } | { kind: 'node'; key: string; tab: NodeTab };

export interface PortForward {
  id: number;
  pod: string;
  remotePort: number;
  localPort: number | null;
  open: number;
  error: string | null;
}

interface ClusterState {
  contexts: ClusterContextView[] | null;
  contextId: string | null;
  /** Open SSH connections: K3s servers to add, gateways to join. */
  connections: SshConnectionView[];
  link: Link;
  objects: ClusterObjects;
  /** A reset arrived (from the snapshot or the live list). */
  loaded: boolean;
  /** The watch stream itself ended (backend error); the section offers a retry. */
  watchError: string | null;
  view: ClusterView;
  podQuery: string;
  namespace: string;
  podSort: Sort<PodColumn>;
  nodeQuery: string;
  nodeSort: Sort<NodeColumn>;
  selectedPod: string | null;
  selectedNode: string | null;
  drawer: Drawer | null;
  /** A disruptive action on a pod waiting for the technician's yes. */
  confirm: { action: 'delete' | 'restart'; key: string } | null;
  forwards: PortForward[];
  /** Leave runs by node name: they outlive the drawer, and the node they delete. */
  leaves: Record<string, LeaveRun>;
  busy: string | null;
  error: string | null;
  notice: string | null;
}

const LAST_CONTEXT = 'fieldkit.cluster.context';
const IDLE: Link = { state: 'connecting', asOf: null };

export const useCluster = create<ClusterState>()(() => ({
  contexts: null,
  contextId: null,
  connections: [],
  link: IDLE,
  objects: EMPTY_OBJECTS,
  loaded: false,
  watchError: null,
  view: 'pods',
  podQuery: '',
  namespace: '',
  podSort: { column: 'namespace', dir: 'asc' },
  nodeQuery: '',
  nodeSort: { column: 'name', dir: 'asc' },
  selectedPod: null,
  selectedNode: null,
  drawer: null,
  confirm: null,
  forwards: [],
  leaves: {},
  busy: null,
  error: null,
  notice: null,
}));

/** Mutating actions need the live API: the snapshot is read-only. */
export const isReadOnly = (s: Pick<ClusterState, 'link'>) => s.link.state !== 'live';
export const currentContext = (s: Pick<ClusterState, 'contexts' | 'contextId'>) => s.contexts?.find((c) => c.contextId === s.contextId);

/** Stops of running port-forwards, by id: they outlive the drawer that started them. */
const forwardStops = new Map<number, () => void>();
let nextForward = 1;

function pickContext(contexts: ClusterContextView[], wanted: string | null): string | null {
  const remembered = wanted ?? localStorage.getItem(LAST_CONTEXT);
  return (contexts.find((c) => c.contextId === remembered) ?? contexts.find((c) => c.current) ?? contexts[0])?.contextId ?? null;
}

/** The backend calls behind the Cluster section. */
export function clusterActions(client: FieldkitClient) {
  const { setState: set, getState: get } = useCluster;

  /** Runs a backend call with its error shown; `busy` names what the buttons wait for. */
  const guarded = async (work: () => Promise<void>, busy: string | null = null) => {
    set({ error: null, notice: null, busy });
    try {
      await work();
    } catch (error) {
      set({ error: withHint(error) });
    } finally {
      set({ busy: null });
    }
  };

  const adopt = (contexts: ClusterContextView[], wanted: string | null) => {
    const contextId = pickContext(contexts, wanted);
    set({ contexts });
    if (contextId !== get().contextId) actions.select(contextId);
  };

  const actions = {
    loadContexts: () =>
      guarded(async () => {
        try {
          const { contexts } = await client.call('cluster.contexts', {});
          adopt(contexts, get().contextId);
        } finally {
          if (get().contexts === null) set({ contexts: [] });
        }
      }),

    addFile: (path: string) =>
      guarded(async () => {
        const { contexts: added } = await client.call('cluster.contexts.addFile', { path });
        const { contexts } = await client.call('cluster.contexts', {});
        adopt(contexts, added[0]?.contextId ?? null);
        set({ notice: `Added ${added.length} ${added.length === 1 ? 'context' : 'contexts'} from ${path}.` });
      }, 'Reading the kubeconfig…'),

    addFromServer: (connectionId: string, remotePort: number, name?: string) =>
      guarded(async () => {
        const added = await client.call('cluster.contexts.addFromServer', { connectionId, remotePort, ...(name && { name }) });
        const { contexts } = await client.call('cluster.contexts', {});
        adopt(contexts, added.contextId);
        set({ notice: `Added ${added.name}: its API is reached through the SSH tunnel at ${added.server}.` });
      }, 'Fetching k3s.yaml over SSH…'),

    removeContext: (contextId: string) =>
      guarded(async () => {
        await client.call('cluster.contexts.remove', { contextId });
        const { contexts } = await client.call('cluster.contexts', {});
        adopt(contexts, null);
      }),

    select(contextId: string | null) {
      if (contextId) localStorage.setItem(LAST_CONTEXT, contextId);
      actions.stopForwards();
      set({ contextId, objects: EMPTY_OBJECTS, loaded: false, link: IDLE, watchError: null, drawer: null, selectedPod: null, selectedNode: null, namespace: '', leaves: {} });
    },

    /** Nodes, pods and events of the selected context while the section shows it. */
    watch(contextId: string): () => void {
      set({ objects: EMPTY_OBJECTS, loaded: false, link: IDLE, watchError: null });
      return client.subscribe('cluster.watch', { contextId }, {
        next(event) {
          if (event.type === 'reset') set({ objects: fromReset(event), loaded: true });
          else if (event.type === 'changes') set((s) => ({ objects: applyChanges(s.objects, event.changes) }));
          else set({ link: { state: event.state, asOf: event.asOf, message: event.message, hint: event.hint } });
        },
        end: (error) => error && set({ watchError: withHint(error), link: { state: 'offline', asOf: get().link.asOf } }),
      });
    },

    /** Open SSH connections, while the section is open. */
    watchConnections: () => client.subscribe('ssh.connections', {}, { next: ({ connections }) => set({ connections }) }),

    deletePod: (key: string) =>
      guarded(async () => {
        const { contextId, objects } = get();
        const pod = objects.pods.get(key);
        set({ confirm: null });
        if (!pod || !contextId) return;
        await client.call('cluster.pods.delete', { contextId, namespace: pod.namespace, pod: pod.name });
        set({ notice: `Deleted pod ${key}${pod.owner ? `; its ${pod.owner.kind} starts a new one` : ''}.` });
      }, 'Deleting…'),

    rolloutRestart: (key: string) =>
      guarded(async () => {
        const { contextId, objects } = get();
        const pod = objects.pods.get(key);
        const workload = pod && workloadOf(pod);
        set({ confirm: null });
        if (!pod || !workload || !contextId) return;
        await client.call('cluster.rolloutRestart', { contextId, kind: workload.kind, namespace: pod.namespace, name: workload.name });
        set({ notice: `Restarting ${workload.kind} ${pod.namespace}/${workload.name}: its pods are replaced one by one.` });
      }, 'Restarting…'),

    portForward(key: string, remotePort: number, localPort = 0) {
      const pod = get().objects.pods.get(key);
      const contextId = get().contextId;
      if (!pod || !contextId) return;
      const id = nextForward++;
      const update = (patch: Partial<PortForward>) => set((s) => ({ forwards: s.forwards.map((f) => (f.id === id ? { ...f, ...patch } : f)) }));
      set((s) => ({ forwards: [...s.forwards, { id, pod: podKey(pod), remotePort, localPort: null, open: 0, error: null }] }));
      forwardStops.set(
        id,
        client.subscribe('cluster.portForward', { contextId, namespace: pod.namespace, pod: pod.name, remotePort, localPort }, {
          next: (event) => update(event.type === 'listening' ? { localPort: event.localPort } : { open: event.open }),
          end: (error) => {
            forwardStops.delete(id);
            update({ error: error ? withHint(error) : 'Stopped by the backend.', localPort: null, open: 0 });
          },
        }),
      );
    },

    stopForward(id: number) {
      forwardStops.get(id)?.();
      forwardStops.delete(id);
      set((s) => ({ forwards: s.forwards.filter((f) => f.id !== id) }));
    },

    leave(nodeName: string, gatewayConnectionId: string) {
      const contextId = get().contextId;
      if (!contextId) return;
      const update = (change: (run: LeaveRun) => LeaveRun) => set((s) => ({ leaves: { ...s.leaves, [nodeName]: change(s.leaves[nodeName] ?? startLeaveRun()) } }));
      update(() => startLeaveRun());
      client.subscribe('cluster.leave', { gatewayConnectionId, contextId, nodeName }, {
        next: (event) =>
          update((run) => (event.type === 'done' ? { ...run, done: true, running: false } : { ...run, steps: { ...run.steps, [event.step]: { state: event.state, detail: event.detail } } })),
        end: (error) => update((run) => ({ ...run, running: false, error: error ? withHint(error) : run.error })),
      });
    },

    stopForwards: () => get().forwards.forEach((f) => actions.stopForward(f.id)),
  };
  return actions;
}

export type ClusterActions = ReturnType<typeof clusterActions>;
