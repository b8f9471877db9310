import { describe, expect, it } from 'vitest';
import { nodeReady, nodeRoles, nodeStatus, nodeView } from './node-view.js';

const k3sServer = {
  metadata: {
    name: 'edge-srv',
    uid: 'n1',
    creationTimestamp: '2026-11-01T00:00:00Z',
    labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', 'kubernetes.io/arch': 'arm64' },
  },
  spec: {},
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'disk 92% full' },
      { type: 'Ready', status: 'True', lastTransitionTime: '2026-11-28T08:00:00Z' },
    ],
    allocatable: { cpu: '4', memory: '3882780Ki', pods: '110' },
    addresses: [
      { type: 'InternalIP', address: '192.168.7.10' },
      { type: 'Hostname', address: 'edge-srv' },
    ],
    nodeInfo: { kubeletVersion: 'v1.31.4+k3s1', architecture: 'arm64', operatingSystem: 'linux', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.6.31+rpt-rpi-v8' },
  },
};

describe('nodeView', () => {
  it('maps a K3s server node: roles, version, pressure, allocatable, address', () => {
    const view = nodeView(k3sServer);
    expect(view).toMatchObject({
      name: 'edge-srv',
      ready: 'True',
      roles: ['control-plane', 'master'],
      version: 'v1.31.4+k3s1',
      arch: 'arm64',
      os: 'linux',
      internalIp: '192.168.7.10',
      unschedulable: false,
      pressure: ['DiskPressure'],
      allocatable: { cpu: '4', memory: '3882780Ki', pods: '110' },
    });
    expect(view.conditions[1]).toEqual({ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'disk 92% full' });
    expect(nodeStatus(view)).toBe('Ready');
  });

  it('reads kubectl STATUS: NotReady, Unknown and SchedulingDisabled', () => {
    const notReady = nodeView({ ...k3sServer, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] } });
    expect(notReady.ready).toBe('Unknown');
    expect(nodeStatus(notReady)).toBe('NotReady,SchedulingDisabled');
    const fresh = nodeView({ metadata: { name: 'gw-new' } });
    expect(fresh).toMatchObject({ ready: 'Unknown', roles: [], version: '', createdAt: '' });
    expect(nodeStatus(fresh)).toBe('Unknown');
  });

  it('reads the Ready condition alone with nodeReady', () => {
    expect(nodeReady(k3sServer)).toBe('True');
    expect(nodeReady({ status: { conditions: [{ type: 'Ready', status: 'False' }] } })).toBe('False');
    expect(nodeReady({ status: { conditions: [{ type: 'DiskPressure', status: 'True' }] } })).toBe('Unknown');
    expect(nodeReady({ metadata: { name: 'gw-new' } })).toBe('Unknown');
  });

  it('finds roles in node-role labels and the legacy kubernetes.io/role label', () => {
    expect(nodeRoles({ 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': 'x' })).toEqual(['edge', 'worker']);
    expect(nodeRoles({ 'kubernetes.io/role': '' })).toEqual([]);
  });
});
