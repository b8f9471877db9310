/** Server-side printing: the `Table` objects kubectl asks for, with the columns and cells of the real printers. */
import { ageOf, humanDuration } from '../../../shared/cluster/age.js';
import type { ContainerStatus, KubeObject, Node, Pod } from './types.js';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
}

type Cell = string | number;

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const since = (time: unknown): string => ageOf(typeof time === 'string' ? time : undefined, Date.now());

const col = (name: string, type: Column['type'], description: string, priority = 0, format?: string): Column => ({ name, type, description, priority, ...(format ? { format } : {}) });
const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const age = (o: KubeObject): string => since(o.metadata.creationTimestamp);
const none = (v: string | undefined): string => v || '<none>';

interface Printer {
  columns: Column[];
  cells(o: KubeObject): Cell[];
}

function podCells(o: KubeObject): Cell[] {
  const pod = o as Pod;
  let reason = pod.status.reason || pod.status.phase || '';
  let restarts = 0;
  let ready = 0;
  let lastRestart = 0;
  let hasRunning = false;
  const statuses: ContainerStatus[] = pod.status.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    restarts += c.restartCount;
    const finished = c.lastState.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state.running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  if (pod.metadata.deletionTimestamp && pod.status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed') reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${humanDuration(Date.now() - lastRestart)} ago)` : String(restarts);
  const gates = (pod.spec.readinessGates as unknown[] | undefined)?.length ? `0/${(pod.spec.readinessGates as unknown[]).length}` : '<none>';
  return [pod.metadata.name, `${ready}/${pod.spec.containers.length}`, reason, restartText, age(pod), none(pod.status.podIP), none(pod.spec.nodeName), none(pod.status.nominatedNodeName as string | undefined), gates];
}

function nodeStatus(node: Node): string {
  const ready = node.status.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].filter(Boolean).sort();
}

function nodeCells(o: KubeObject): Cell[] {
  const node = o as Node;
  const address = (type: string) => none(node.status.addresses?.find((a) => a.type === type)?.address);
  const info = node.status.nodeInfo ?? {};
  return [node.metadata.name, nodeStatus(node), nodeRoles(node).join(',') || '<none>', age(node), info.kubeletVersion ?? '', address('InternalIP'), address('ExternalIP'), none(info.osImage), none(info.kernelVersion), none(info.containerRuntimeVersion)];
}

function eventCells(o: KubeObject): Cell[] {
  const e = o as KubeObject & { involvedObject: { kind?: string; name?: string; fieldPath?: string }; source?: { component?: string; host?: string }; count?: number; firstTimestamp?: string; lastTimestamp?: string; eventTime?: string };
  const first = e.firstTimestamp || e.eventTime || e.metadata.creationTimestamp;
  const last = e.lastTimestamp || e.eventTime || first;
  const count = e.count ?? 1;
  const lastSeen = count > 1 ? `${since(last)} (x${count} over ${since(first)})` : since(last);
  const source = [e.source?.component, e.source?.host].filter(Boolean).join(', ');
  return [lastSeen, String(e.type ?? ''), String(e.reason ?? ''), `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`, e.involvedObject.fieldPath ?? '', source, String(e.message ?? ''), since(first), count, e.metadata.name];
}

interface WorkloadShape {
  spec: { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template?: { spec?: { containers?: { name: string; image: string }[]; nodeSelector?: Record<string, string> } } };
  status: Record<string, number | undefined>;
}

function containersAndImages(o: KubeObject): string[] {
  const containers = (o as unknown as WorkloadShape).spec.template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

function selectorText(o: KubeObject): string {
  const labels = (o as unknown as WorkloadShape).spec.selector?.matchLabels ?? {};
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
}

const n = (v: number | undefined): number => v ?? 0;
const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);
const SELECTOR = col('Selector', 'string', 'Label selector for pods.', 1);

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      NAME,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col('Node', 'string', 'NodeName is a request to schedule this pod onto a specific node.', 1),
      col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
      col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells: podCells,
  },
  Node: {
    columns: [
      NAME,
      col('Status', 'string', 'The status of the node'),
      col('Roles', 'string', 'The roles of the node'),
      AGE,
      col('Version', 'string', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
      col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
      col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      col('Kernel-Version', 'string', 'Kernel Version reported by the node.', 1),
      col('Container-Runtime', 'string', 'Container runtime version reported by the node.', 1),
    ],
    cells: nodeCells,
  },
  Event: {
    columns: [
      col('Last Seen', 'string', 'Time when last this event was observed.'),
      col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
      col('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      col('Object', 'string', 'The object that this event is about.'),
      col('Subobject', 'string', 'The subobject that this event is about.', 1),
      col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
      col('Message', 'string', 'A human-readable description of the status of this operation.'),
      col('First Seen', 'string', 'The time at which the event was first recorded.', 1),
      col('Count', 'string', 'The number of times this event has occurred.', 1),
      col('Name', 'string', 'Name must be unique within a namespace.', 1, 'name'),
    ],
    cells: eventCells,
  },
  Namespace: {
    columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
    cells: (o) => [o.metadata.name, String((o.status as { phase?: string } | undefined)?.phase ?? ''), age(o)],
  },
  Deployment: {
    columns: [NAME, col('Ready', 'string', 'Number of the pod with ready state'), col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'), col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'), AGE, CONTAINERS, IMAGES, SELECTOR],
    cells: (o) => {
      const w = o as unknown as WorkloadShape;
      return [o.metadata.name, `${n(w.status.readyReplicas)}/${n(w.spec.replicas)}`, n(w.status.updatedReplicas), n(w.status.availableReplicas), age(o), ...containersAndImages(o), selectorText(o)];
    },
  },
  DaemonSet: {
    columns: [NAME, col('Desired', 'integer', 'The number of nodes that should be running the daemon pod.'), col('Current', 'integer', 'The number of nodes running at least one daemon pod.'), col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'), col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'), col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'), col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'), AGE, CONTAINERS, IMAGES, SELECTOR],
    cells: (o) => {
      const w = o as unknown as WorkloadShape;
      const selector = Object.entries(w.spec.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      return [o.metadata.name, n(w.status.desiredNumberScheduled), n(w.status.currentNumberScheduled), n(w.status.numberReady), n(w.status.updatedNumberScheduled), n(w.status.numberAvailable), none(selector), age(o), ...containersAndImages(o), selectorText(o)];
    },
  },
  StatefulSet: {
    columns: [NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
    cells: (o) => {
      const w = o as unknown as WorkloadShape;
      return [o.metadata.name, `${n(w.status.readyReplicas)}/${n(w.spec.replicas)}`, age(o), ...containersAndImages(o)];
    },
  },
  ReplicaSet: {
    columns: [NAME, col('Desired', 'integer', 'Replicas is the number of desired replicas.'), col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'), col('Ready', 'integer', 'The number of ready replicas for this replica set.'), AGE, CONTAINERS, IMAGES, SELECTOR],
    cells: (o) => {
      const w = o as unknown as WorkloadShape;
      return [o.metadata.name, n(w.spec.replicas), n(w.status.replicas), n(w.status.readyReplicas), age(o), ...containersAndImages(o), selectorText(o)];
    },
  },
  Secret: {
    columns: [NAME, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of entries in the secret'), AGE],
    cells: (o) => [o.metadata.name, String(o.type ?? 'Opaque'), Object.keys((o.data as object | undefined) ?? {}).length, age(o)],
  },
  ConfigMap: {
    columns: [NAME, col('Data', 'string', 'Number of data in the configmap'), AGE],
    cells: (o) => [o.metadata.name, Object.keys((o.data as object | undefined) ?? {}).length, age(o)],
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [NAME, col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

function rowObject(o: KubeObject, include: IncludeObject): Record<string, unknown> {
  if (include === 'None') return {};
  if (include === 'Object') return { object: o };
  return { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } };
}

export function toTable(kind: string, objects: KubeObject[], listMeta: Record<string, unknown>, include: IncludeObject, noHeaders = false): Record<string, unknown> {
  const printer = PRINTERS[kind] ?? DEFAULT_PRINTER;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: noHeaders ? null : printer.columns,
    rows: objects.map((o) => ({ cells: printer.cells(o), ...rowObject(o, include) })),
  };
}

/** Whether the Accept header asks for a Table (kubectl's human-readable output). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0];
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
