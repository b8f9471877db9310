import { z } from 'zod';
import { method, stream } from './define.js';

const id = z.string().min(1).max(200);
const name = z.string().min(1).max(253);
const path = z.string().min(1).max(4096);
const base64 = z.string().max(1 << 22).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
/** ISO 8601 instants (as Kubernetes writes them). */
const instant = z.string().max(64);
const empty = z.object({}).strict();
const done = z.object({});

/** One context FieldKit can talk to: from a kubeconfig on this machine, or fetched from a K3s server over SSH. */
export const clusterContextSchema = z.object({
  /** Stable across launches: `<source>:<file or profile>:<context name>`. */
  contextId: id,
  name: z.string(),
  cluster: z.string(),
  server: z.string(),
  user: z.string(),
  namespace: z.string().optional(),
  source: z.enum(['kubeconfig', 'ssh']),
  /** The kubeconfig file it came from (FieldKit's own copy for `ssh`). */
  file: z.string(),
  current: z.boolean(),
  /** When a snapshot of this cluster exists: its time. */
  snapshotAt: instant.nullable(),
});
export type ClusterContextView = z.infer<typeof clusterContextSchema>;

const conditionSchema = z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional(), lastTransition: instant.optional() });

export const nodeViewSchema = z.object({
  name: z.string(),
  uid: z.string(),
  ready: z.enum(['True', 'False', 'Unknown']),
  roles: z.array(z.string()),
  version: z.string(),
  arch: z.string(),
  os: z.string(),
  osImage: z.string(),
  kernel: z.string(),
  internalIp: z.string().optional(),
  unschedulable: z.boolean(),
  /** Conditions other than Ready that are True (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable). */
  pressure: z.array(z.string()),
  conditions: z.array(conditionSchema),
  allocatable: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.string()),
  createdAt: instant,
});
export type NodeView = z.infer<typeof nodeViewSchema>;

export const containerViewSchema = z.object({
  name: z.string(),
  image: z.string(),
  ready: z.boolean(),
  restarts: z.number(),
  state: z.enum(['running', 'waiting', 'terminated', 'unknown']),
  reason: z.string().optional(),
  /** When the last terminated instance finished (time of the last restart). */
  lastRestartAt: instant.optional(),
  init: z.boolean(),
});

export const podViewSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  uid: z.string(),
  phase: z.string(),
  /** What kubectl's STATUS column shows: CrashLoopBackOff, Completed, Terminating, Running… */
  status: z.string(),
  ready: z.number(),
  total: z.number(),
  restarts: z.number(),
  lastRestartAt: instant.optional(),
  node: z.string().optional(),
  ip: z.string().optional(),
  owner: z.object({ kind: z.string(), name: z.string() }).optional(),
  containers: z.array(containerViewSchema),
  labels: z.record(z.string(), z.string()),
  createdAt: instant,
});
export type PodView = z.infer<typeof podViewSchema>;

export const eventViewSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  uid: z.string(),
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  object: z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional() }),
  count: z.number(),
  /** When a repeated event was first seen (for kubectl's `5m (x12 over 2h)`). */
  firstSeen: instant.optional(),
  lastSeen: instant,
});
export type EventView = z.infer<typeof eventViewSchema>;

export const workloadKinds = ['Deployment', 'DaemonSet', 'StatefulSet'] as const;
const objectKinds = ['Node', 'Pod', 'Event', 'Namespace', 'Service', 'ConfigMap', ...workloadKinds] as const;
export type ClusterObjectKind = (typeof objectKinds)[number];

const objectRef = { contextId: id, kind: z.enum(objectKinds), namespace: name.optional(), name };
const podRef = { contextId: id, namespace: name, pod: name };

const resourceKind = z.enum(['node', 'pod', 'event']);
/** A plain union: three variants share `op: 'upsert'`, which a discriminated union on `op` refuses. */
export const clusterChangeSchema = z.union([
  z.object({ op: z.literal('upsert'), kind: z.literal('node'), object: nodeViewSchema }),
  z.object({ op: z.literal('upsert'), kind: z.literal('pod'), object: podViewSchema }),
  z.object({ op: z.literal('upsert'), kind: z.literal('event'), object: eventViewSchema }),
  /** `key` is `name` for nodes, `namespace/name` otherwise. */
  z.object({ op: z.literal('delete'), kind: resourceKind, key: z.string() }),
]);
export type ClusterChange = z.infer<typeof clusterChangeSchema>;

export const clusterWatchEventSchema = z.discriminatedUnion('type', [
  /** The whole state: first from the snapshot (when one exists), then from the live list, and after every re-list. */
  z.object({ type: z.literal('reset'), nodes: z.array(nodeViewSchema), pods: z.array(podViewSchema), events: z.array(eventViewSchema) }),
  /** Watch changes, batched (at most a few batches a second). */
  z.object({ type: z.literal('changes'), changes: z.array(clusterChangeSchema) }),
  /** `live`: watches running; `offline`: the API cannot be reached, what is shown is the snapshot as of `asOf`. */
  z.object({
    type: z.literal('state'),
    state: z.enum(['connecting', 'live', 'offline']),
    asOf: instant.nullable(),
    message: z.string().optional(),
    hint: z.string().optional(),
  }),
]);
export type ClusterWatchEvent = z.infer<typeof clusterWatchEventSchema>;

const terminalSize = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };

// ---- Join ----------------------------------------------------------------------------------------------------

export const preflightCheckSchema = z.object({
  id: z.enum(['arch', 'cgroup-memory', 'hostname', 'clock', 'default-route', 'disk', 'server-reachable', 'existing-k3s', 'sudo']),
  label: z.string(),
  status: z.enum(['ok', 'warn', 'fail']),
  /** What was found, e.g. `aarch64 (arm64)`, `clock 212 s ahead of the server`. */
  detail: z.string(),
  /** The plain-language fix when not ok. */
  fix: z.string().optional(),
});
export type PreflightCheck = z.infer<typeof preflightCheckSchema>;

export const airgapBundleSchema = z.object({
  /** K3s release, e.g. `v1.31.4+k3s1`. */
  version: z.string(),
  arch: z.enum(['amd64', 'arm64', 'arm']),
  binary: z.string(),
  images: z.string(),
  installScript: z.string(),
  bytes: z.number(),
  verifiedAt: instant,
});
export type AirgapBundle = z.infer<typeof airgapBundleSchema>;

export const tokenSourceSchema = z.discriminatedUnion('kind', [
  /** Typed or pasted; never echoed, logged or indexed. */
  z.object({ kind: z.literal('pasted'), token: z.string().min(1).max(4096) }),
  /** Read `/var/lib/rancher/k3s/server/token` over an open SSH connection to the server… */
  z.object({ kind: z.literal('server'), connectionId: id }),
  /** …or create a short-lived one there with `k3s token create --ttl`. */
  z.object({ kind: z.literal('server-ttl'), connectionId: id, ttl: z.string().regex(/^\d+[smh]$/).default('1h') }),
]);

export const joinPlanSchema = z.object({
  /** The open SSH connection to the new gateway. */
  gatewayConnectionId: id,
  /** `https://<server>:6443` as the gateway reaches it. */
  server: z.string().url().max(2048),
  token: tokenSourceSchema,
  /** The cluster as FieldKit reaches it, to check the hostname and wait for Ready. */
  contextId: id,
  mode: z.enum(['airgap', 'online']),
  /** `<version>/<arch>` of an imported bundle (air-gap mode); the gateway's arch picks one when absent. */
  bundle: z.string().max(200).optional(),
  nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).max(253).optional(),
  withNodeId: z.boolean().default(false),
  nodeIp: z.string().max(64).optional(),
  labels: z.array(z.string().regex(/^[^=\s]+=[^\s]*$/)).max(50).default([]),
  taints: z.array(z.string().regex(/^[^=\s]+(=[^:\s]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/)).max(50).default([]),
});
export type JoinPlan = z.infer<typeof joinPlanSchema>;

export const JOIN_STEPS = ['preflight', 'token', 'upload', 'config', 'install', 'start', 'ready'] as const;
export const joinStepSchema = z.enum(JOIN_STEPS);

export const diagnosisSchema = z.object({
  code: z.enum(['node-password-rejected', 'token-ca-mismatch', 'server-unreachable', 'clock-skew', 'unknown']),
  title: z.string(),
  /** The evidence: the journal line that named it. */
  evidence: z.string(),
  fix: z.string(),
  /** A one-click remedy FieldKit can run (`cluster.join.recoverNodePassword`). */
  action: z.enum(['delete-node-password']).optional(),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;

export const joinEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: joinStepSchema, state: z.enum(['running', 'done', 'failed', 'skipped']), detail: z.string().optional() }),
  z.object({ type: z.literal('preflight'), checks: z.array(preflightCheckSchema) }),
  z.object({ type: z.literal('progress'), step: joinStepSchema, bytesDone: z.number(), bytesTotal: z.number(), bytesPerSecond: z.number(), etaSeconds: z.number().nullable() }),
  /** A line of `journalctl -u k3s-agent` (also in the log index). */
  z.object({ type: z.literal('journal'), line: z.string() }),
  z.object({ type: z.literal('diagnosis'), diagnosis: diagnosisSchema }),
  z.object({ type: z.literal('done'), nodeName: z.string() }),
]);
export type JoinEvent = z.infer<typeof joinEventSchema>;

export const LEAVE_STEPS = ['drain', 'delete', 'uninstall'] as const;

export const clusterContract = {
  'cluster.contexts': method(
    'Every context FieldKit knows: the kubeconfig files on this machine ($KUBECONFIG or ~/.kube/config) and the K3s servers added over SSH.',
    empty,
    z.object({ contexts: z.array(clusterContextSchema) }),
  ),
  'cluster.contexts.addFile': method('Add the contexts of a kubeconfig file on this machine.', z.object({ path }).strict(), z.object({ contexts: z.array(clusterContextSchema) })),
  'cluster.contexts.addFromServer': method(
    "Fetch /etc/rancher/k3s/k3s.yaml from a K3s server over an open SSH connection and reach its API through a tunnel on that connection (the server URL is rewritten to the tunnel's local end).",
    z.object({ connectionId: id, name: z.string().trim().min(1).max(200).optional(), remotePort: z.number().int().min(1).max(65535).default(6443) }).strict(),
    clusterContextSchema,
  ),
  'cluster.contexts.remove': method('Forget a context FieldKit added (and its snapshot).', z.object({ contextId: id }).strict(), done),
  'cluster.watch': stream(
    'Nodes, pods and events of a cluster: the last snapshot at once (read-only, with its time), then list + watch, resumed after drops.',
    z.object({ contextId: id, namespace: name.optional() }).strict(),
    clusterWatchEventSchema,
  ),
  'cluster.yaml': method('The YAML of one object, as the API serves it (managed fields left out).', z.object(objectRef).strict(), z.object({ yaml: z.string() })),
  'cluster.logs': stream(
    'Container logs; every line also goes into the log index (source `pod`). Unsubscribe to stop following.',
    z
      .object({
        ...podRef,
        container: name.optional(),
        follow: z.boolean().default(false),
        previous: z.boolean().default(false),
        timestamps: z.boolean().default(true),
        tailLines: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('lines'), lines: z.array(z.object({ ts: instant.optional(), text: z.string() })) }),
      z.object({ type: z.literal('end'), indexed: z.number() }),
    ]),
  ),
  'cluster.pods.delete': method('Delete a pod (its controller makes a new one).', z.object(podRef).strict(), done),
  'cluster.rolloutRestart': method(
    "Restart a workload's pods the way `kubectl rollout restart` does (a restartedAt annotation on the pod template).",
    z.object({ contextId: id, kind: z.enum(workloadKinds), namespace: name, name }).strict(),
    done,
  ),
  'cluster.exec': stream(
    'A shell (or a command) in a container on a TTY: `opened` names it for write/resize, then output as base64.',
    z.object({ ...podRef, container: name.optional(), command: z.array(z.string().max(4096)).min(1).max(64).default(['/bin/sh']), ...terminalSize }).strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('opened'), execId: id }),
      z.object({ type: z.literal('data'), data: base64 }),
      z.object({ type: z.literal('exit'), code: z.number().nullable(), message: z.string().optional() }),
    ]),
  ),
  'cluster.execWrite': method('Keystrokes for an exec session, as base64.', z.object({ execId: id, data: base64 }).strict(), done),
  'cluster.execResize': method('The exec terminal was resized.', z.object({ execId: id, ...terminalSize }).strict(), done),
  'cluster.portForward': stream(
    'Forward a local port on 127.0.0.1 to a pod port while subscribed.',
    z.object({ ...podRef, remotePort: z.number().int().min(1).max(65535), localPort: z.number().int().min(0).max(65535).default(0) }).strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('listening'), localPort: z.number() }),
      z.object({ type: z.literal('connection'), open: z.number() }),
    ]),
  ),
  'cluster.bundles': method('The imported air-gap bundles.', empty, z.object({ bundles: z.array(airgapBundleSchema) })),
  'cluster.bundles.import': stream(
    'Import a K3s release folder (k3s binary, k3s-airgap-images-<arch>.tar.zst|.tar.gz, install.sh, sha256sum-<arch>.txt): each file is checked against the checksum file, then cached.',
    z.object({ dir: path }).strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('progress'), file: z.string(), bytesDone: z.number(), bytesTotal: z.number() }),
      z.object({ type: z.literal('done'), bundle: airgapBundleSchema }),
    ]),
  ),
  'cluster.join.preflight': method(
    'Run the preflight checks on a gateway against a server, without changing anything.',
    joinPlanSchema.pick({ gatewayConnectionId: true, server: true, contextId: true, nodeName: true }).strict(),
    z.object({ checks: z.array(preflightCheckSchema), arch: z.string().nullable(), hostname: z.string().nullable() }),
  ),
  'cluster.join': stream('Join a gateway as a K3s agent, step by step, until its node is Ready. Unsubscribe to cancel.', joinPlanSchema.strict(), joinEventSchema),
  'cluster.join.recoverNodePassword': method(
    'After "Node password rejected" (a re-flashed gateway): delete the old node and its `<node>.node-password.k3s` secret so it can join again.',
    z.object({ contextId: id, nodeName: name }).strict(),
    done,
  ),
  'cluster.leave': stream(
    'Take a gateway out of the cluster: drain, delete the node, run the agent uninstall script.',
    z.object({ gatewayConnectionId: id, contextId: id, nodeName: name }).strict(),
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('step'), step: z.enum(LEAVE_STEPS), state: z.enum(['running', 'done', 'failed', 'skipped']), detail: z.string().optional() }),
      z.object({ type: z.literal('done') }),
    ]),
  ),
} as const;
