import type { NodeView, PodView } from '../../../../shared/contract/cluster.js';

/** Minimal valid views for the unit tests. */
export function pod(name: string, patch: Partial<PodView> = {}): PodView {
  return {
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    phase: 'Running',
    status: 'Running',
    ready: 1,
    total: 1,
    restarts: 0,
    containers: [],
    labels: {},
    createdAt: '2026-11-28T10:00:00Z',
    ...patch,
  };
}

export function node(name: string, patch: Partial<NodeView> = {}): NodeView {
  const ready = patch.ready ?? 'True';
  return {
    name,
    uid: `uid-${name}`,
    ready,
    roles: [],
    version: 'v1.31.4+k3s1',
    arch: 'arm64',
    os: 'linux',
    osImage: 'Debian GNU/Linux 12',
    kernel: '6.1.0',
    unschedulable: false,
    pressure: [],
    conditions: [{ type: 'Ready', status: ready }],
    allocatable: {},
    labels: {},
    createdAt: '2026-11-28T10:00:00Z',
    ...patch,
  };
}
