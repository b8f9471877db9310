/** Builders for the objects a K3s cluster holds, shaped as the API server serves them. */
import { createHash, randomUUID } from 'node:crypto';
import type { Container, ContainerStatus, KubeObject, Node, NodeCondition, OwnerReference, Pod } from './types.js';

export const K3S_VERSION = 'v1.31.4+k3s1';

/** Seconds precision, as metav1.Time serializes. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function ago(seconds: number): string {
  return timestamp(new Date(Date.now() - seconds * 1000));
}

export interface NodeInput {
  name: string;
  roles?: string[];
  ready?: boolean;
  arch?: 'arm64' | 'amd64' | 'arm';
  version?: string;
  osImage?: string;
  kernel?: string;
  internalIp?: string;
  labels?: Record<string, string>;
  unschedulable?: boolean;
  /** Conditions to mark True: MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable. */
  pressure?: string[];
  ageSeconds?: number;
  cpu?: string;
  memory?: string;
}

const PRESSURE: [string, string, string][] = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

export function readyCondition(ready: boolean, since: string): NodeCondition {
  return ready
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: timestamp(), lastTransitionTime: since }
    : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: since, lastTransitionTime: timestamp() };
}

export function nodeObject(input: NodeInput): Node {
  const arch = input.arch ?? 'arm64';
  const roles = input.roles ?? [];
  const created = ago(input.ageSeconds ?? 86_400 * 12);
  const ip = input.internalIp ?? '10.42.0.10';
  const pressure = new Set(input.pressure ?? []);
  const conditions: NodeCondition[] = PRESSURE.map(([type, okReason, okMessage]) =>
    pressure.has(type)
      ? { type, status: 'True', reason: `KubeletHas${type}`, message: `kubelet has ${type.replace('Pressure', '').toLowerCase()} pressure`, lastHeartbeatTime: timestamp(), lastTransitionTime: ago(600) }
      : { type, status: 'False', reason: okReason, message: okMessage, lastHeartbeatTime: timestamp(), lastTransitionTime: created },
  );
  if (pressure.has('NetworkUnavailable')) conditions.unshift({ type: 'NetworkUnavailable', status: 'True', reason: 'NoRouteCreated', message: 'Node created without a route', lastTransitionTime: ago(600) });
  conditions.push(readyCondition(input.ready ?? true, created));
  const roleLabels = Object.fromEntries(roles.map((r) => [`node-role.kubernetes.io/${r}`, 'true']));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: input.name,
      creationTimestamp: created,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/instance-type': 'k3s',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': input.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'k3s',
        ...roleLabels,
        ...input.labels,
      },
      annotations: {
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/public-ip': ip,
        'k3s.io/hostname': input.name,
        'k3s.io/internal-ip': ip,
        'k3s.io/node-args': JSON.stringify(roles.length ? ['server'] : ['agent']),
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: '10.42.0.0/24',
      podCIDRs: ['10.42.0.0/24'],
      providerID: `k3s://${input.name}`,
      ...(input.unschedulable ? { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: timestamp() }] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: input.name },
      ],
      allocatable: { cpu: input.cpu ?? '4', 'ephemeral-storage': '28447694187', memory: input.memory ?? '3880612Ki', pods: '110' },
      capacity: { cpu: input.cpu ?? '4', 'ephemeral-storage': '29243388Ki', memory: input.memory ?? '3880612Ki', pods: '110' },
      conditions,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: arch,
        bootID: randomUUID(),
        containerRuntimeVersion: 'containerd://1.7.23-k3s2',
        kernelVersion: input.kernel ?? (arch === 'amd64' ? '6.1.0-28-amd64' : '6.6.62+rpt-rpi-v8'),
        kubeProxyVersion: input.version ?? K3S_VERSION,
        kubeletVersion: input.version ?? K3S_VERSION,
        machineID: createHash('md5').update(input.name).digest('hex'),
        operatingSystem: 'linux',
        osImage: input.osImage ?? 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: randomUUID(),
      },
    },
  };
}

export type PodState = 'running' | 'crashloop' | 'completed' | 'pending' | 'error' | 'imagepull';

export interface PodInput {
  namespace?: string;
  name: string;
  node?: string;
  /** Images by container name; default one container named after the pod's app. */
  containers?: { name: string; image: string; ports?: number[] }[];
  state?: PodState;
  restarts?: number;
  ip?: string;
  labels?: Record<string, string>;
  owner?: OwnerReference;
  ageSeconds?: number;
  /** For crash loops: seconds since the last restart. */
  lastRestartSecondsAgo?: number;
  /** The node's InternalIP (default 10.42.0.10). */
  hostIp?: string;
}

function containerStatus(c: Container, state: PodState, restarts: number, since: string, lastRestart: string): ContainerStatus {
  const base = { name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`, restartCount: restarts };
  const containerID = `containerd://${createHash('sha256').update(`${c.name}${since}${Math.random()}`).digest('hex')}`;
  const lastTerminated = restarts > 0 ? { terminated: { exitCode: 1, reason: 'Error', startedAt: lastRestart, finishedAt: lastRestart, containerID } } : {};
  switch (state) {
    case 'running':
      return { ...base, containerID, ready: true, started: true, state: { running: { startedAt: restarts > 0 ? lastRestart : since } }, lastState: lastTerminated };
    case 'crashloop':
      return {
        ...base,
        containerID,
        ready: false,
        started: false,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${c.name}` } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: lastRestart, finishedAt: lastRestart } },
      };
    case 'error':
      return { ...base, containerID, ready: false, started: false, state: { terminated: { exitCode: 1, reason: 'Error', startedAt: since, finishedAt: lastRestart } }, lastState: {} };
    case 'completed':
      return { ...base, containerID, ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: since, finishedAt: since } }, lastState: {} };
    case 'imagepull':
      return { ...base, ready: false, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } }, lastState: {} };
    case 'pending':
      return { ...base, ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} };
  }
}

const PHASE: Record<PodState, string> = { running: 'Running', crashloop: 'Running', error: 'Failed', completed: 'Succeeded', imagepull: 'Pending', pending: 'Pending' };

let nextIp = 2;

export function podObject(input: PodInput): Pod {
  const state = input.state ?? 'running';
  const created = ago(input.ageSeconds ?? 86_400 * 3);
  const restarts = input.restarts ?? (state === 'crashloop' ? 7 : 0);
  const lastRestart = ago(input.lastRestartSecondsAgo ?? 90);
  const containers: Container[] = (input.containers ?? [{ name: input.labels?.app ?? input.name, image: 'busybox:1.36' }]).map((c) => ({
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...(c.ports ? { ports: c.ports.map((p) => ({ containerPort: p, protocol: 'TCP' })) } : {}),
  }));
  const statuses = containers.map((c) => containerStatus(c, state, restarts, created, lastRestart));
  const allReady = statuses.every((s) => s.ready);
  const ip = input.ip ?? (state === 'pending' || state === 'imagepull' ? undefined : `10.42.${Math.floor(nextIp / 250) % 250}.${(nextIp++ % 250) + 2}`);
  const condition = (type: string, ok: boolean, reason?: string) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: created, ...(reason ? { reason } : {}) });
  const scheduled = input.node !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      namespace: input.namespace ?? 'default',
      creationTimestamp: created,
      labels: input.labels ?? { app: input.name },
      ...(input.owner ? { ownerReferences: [{ ...input.owner, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      containers,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      ...(input.node ? { nodeName: input.node } : {}),
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: state === 'completed' ? 'OnFailure' : 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: PHASE[state],
      conditions: [
        condition('PodReadyToStartContainers', scheduled && state !== 'pending'),
        condition('Initialized', true),
        condition('Ready', allReady, allReady ? undefined : state === 'completed' ? 'PodCompleted' : 'ContainersNotReady'),
        condition('ContainersReady', allReady, allReady ? undefined : state === 'completed' ? 'PodCompleted' : 'ContainersNotReady'),
        condition('PodScheduled', scheduled),
      ],
      ...(scheduled ? { hostIP: input.hostIp ?? '10.42.0.10', hostIPs: [{ ip: input.hostIp ?? '10.42.0.10' }] } : {}),
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      qosClass: 'BestEffort',
      startTime: created,
      containerStatuses: statuses,
    },
  };
}

export interface EventInput {
  namespace?: string;
  involved: { kind: string; name: string; namespace?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  count?: number;
  /** Seconds since the last occurrence. */
  lastSeenSecondsAgo?: number;
  firstSeenSecondsAgo?: number;
  component?: string;
  host?: string;
}

/** The last event name's stamp: microseconds since the epoch, kept increasing so two events never share a name. */
let lastEventStamp = 0;

export function eventObject(input: EventInput): KubeObject {
  const namespace = input.namespace ?? input.involved.namespace ?? 'default';
  const last = ago(input.lastSeenSecondsAgo ?? 0);
  lastEventStamp = Math.max(lastEventStamp + 1, Date.now() * 1000);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${input.involved.name}.${lastEventStamp.toString(16)}`, namespace },
    involvedObject: { apiVersion: input.involved.apiVersion ?? 'v1', ...input.involved, namespace: input.involved.namespace ?? (input.involved.kind === 'Node' ? undefined : namespace) },
    reason: input.reason,
    message: input.message,
    source: { component: input.component ?? 'kubelet', ...(input.host ? { host: input.host } : {}) },
    firstTimestamp: ago(input.firstSeenSecondsAgo ?? input.lastSeenSecondsAgo ?? 0),
    lastTimestamp: last,
    count: input.count ?? 1,
    type: input.type ?? 'Normal',
    eventTime: null,
    reportingComponent: input.component ?? 'kubelet',
    reportingInstance: input.host ?? '',
  };
}

/** A core/v1 Event served as events.k8s.io/v1. */
export function eventsV1(core: KubeObject): KubeObject {
  const source = (core.source ?? {}) as { component?: string; host?: string };
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: core.metadata,
    eventTime: core.eventTime ?? null,
    reportingController: core.reportingComponent || source.component,
    reportingInstance: core.reportingInstance || source.host,
    reason: core.reason,
    regarding: core.involvedObject,
    note: core.message,
    type: core.type,
    deprecatedSource: source,
    deprecatedFirstTimestamp: core.firstTimestamp,
    deprecatedLastTimestamp: core.lastTimestamp,
    deprecatedCount: core.count,
  };
}

/** The reverse, for events created through events.k8s.io/v1. */
export function eventsCore(v1: KubeObject): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: v1.metadata,
    involvedObject: v1.regarding ?? {},
    reason: v1.reason,
    message: v1.note,
    type: v1.type,
    source: v1.deprecatedSource ?? { component: v1.reportingController },
    firstTimestamp: v1.deprecatedFirstTimestamp ?? v1.eventTime ?? timestamp(),
    lastTimestamp: v1.deprecatedLastTimestamp ?? v1.eventTime ?? timestamp(),
    count: v1.deprecatedCount ?? 1,
    eventTime: v1.eventTime ?? null,
    reportingComponent: v1.reportingController ?? '',
    reportingInstance: v1.reportingInstance ?? '',
  };
}

export function namespaceObject(name: string, ageSeconds = 86_400 * 30): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, creationTimestamp: ago(ageSeconds), labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function secretObject(namespace: string, name: string, data: Record<string, string>, type = 'Opaque'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

export function ownerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}
