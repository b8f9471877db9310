import type { NodeView } from '../contract/cluster.js';
import type { KubeNode } from './kube-objects.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** kubectl's ROLES: every `node-role.kubernetes.io/<role>` label plus a legacy `kubernetes.io/role=<role>`, sorted. */
export function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === LEGACY_ROLE_LABEL && value) roles.add(value);
  }
  return [...roles].sort();
}

const readyOf = (status: string | undefined): NodeView['ready'] => (status === 'True' || status === 'False' ? status : 'Unknown');

/** The status of the node's Ready condition (Unknown while it has none). */
export const nodeReady = (node: KubeNode): NodeView['ready'] => readyOf(node.status?.conditions?.find((c) => c.type === 'Ready')?.status);

export function nodeView(node: KubeNode): NodeView {
  const meta = node.metadata ?? {};
  const status = node.status ?? {};
  const info = status.nodeInfo ?? {};
  const labels = meta.labels ?? {};
  const conditions = (status.conditions ?? []).map((c) => ({
    type: c.type ?? '',
    status: c.status ?? 'Unknown',
    ...(c.reason && { reason: c.reason }),
    ...(c.message && { message: c.message }),
    ...(c.lastTransitionTime && { lastTransition: c.lastTransitionTime }),
  }));
  const internalIp = status.addresses?.find((a) => a.type === 'InternalIP')?.address;
  return {
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    ready: nodeReady(node),
    roles: nodeRoles(labels),
    version: info.kubeletVersion ?? '',
    arch: info.architecture ?? labels['kubernetes.io/arch'] ?? '',
    os: info.operatingSystem ?? labels['kubernetes.io/os'] ?? '',
    osImage: info.osImage ?? '',
    kernel: info.kernelVersion ?? '',
    ...(internalIp && { internalIp }),
    unschedulable: node.spec?.unschedulable === true,
    pressure: conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type),
    conditions,
    allocatable: status.allocatable ?? {},
    labels,
    createdAt: meta.creationTimestamp ?? '',
  };
}

/**
 * kubectl's node STATUS: Ready / NotReady (Ready False or Unknown) / Unknown (no Ready condition yet), with
 * `,SchedulingDisabled` when cordoned.
 */
export function nodeStatus(node: NodeView): string {
  const ready = node.conditions.find((c) => c.type === 'Ready');
  const base = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  return node.unschedulable ? `${base},SchedulingDisabled` : base;
}
