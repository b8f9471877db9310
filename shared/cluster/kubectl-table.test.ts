import { describe, expect, it } from 'vitest';
import type { PodView } from '../contract/cluster.js';
import { eventView } from './event-view.js';
import { eventsTable, formatTable, lastSeenText, nodesTable, podsTable, restartsText } from './kubectl-table.js';
import { nodeView } from './node-view.js';
import { podView } from './pod-view.js';

const now = Date.parse('2026-11-28T12:00:00Z');

describe('kubectl-like tables', () => {
  it('pads every column but the last to its widest cell plus three spaces', () => {
    expect(formatTable(['NAME', 'AGE'], [['a', '5m'], ['longer-name', '2d']])).toBe('NAME          AGE\na             5m\nlonger-name   2d\n');
  });

  it('prints nodes like kubectl get nodes', () => {
    const nodes = [
      nodeView({ metadata: { name: 'srv', creationTimestamp: '2026-11-18T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': 'true' } }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.31.4+k3s1' } } }),
      nodeView({ metadata: { name: 'gw-1', creationTimestamp: '2026-11-28T11:55:00Z' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.31.4+k3s1' } } }),
    ];
    expect(nodesTable(nodes, { nowMs: now })).toBe(
      [
        'NAME   STATUS                        ROLES           AGE   VERSION',
        'gw-1   NotReady,SchedulingDisabled   <none>          5m    v1.31.4+k3s1',
        'srv    Ready                         control-plane   10d   v1.31.4+k3s1',
        '',
      ].join('\n'),
    );
  });

  it('prints pods with a namespace column for -A and restarts with their age', () => {
    const pods = [
      podView({ metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2026-11-28T11:00:00Z' }, spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-28T11:58:00Z' } } }] } }),
      podView({ metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: '2026-11-27T12:00:00Z' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running', podIP: '10.42.0.2', containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] } }),
    ];
    expect(podsTable(pods, { nowMs: now, allNamespaces: true })).toBe(
      [
        'NAMESPACE     NAME      READY   STATUS             RESTARTS     AGE',
        'kube-system   coredns   1/1     Running            0            24h',
        'shop          web       0/1     CrashLoopBackOff   3 (2m ago)   60m',
        '',
      ].join('\n'),
    );
    expect(podsTable(pods.slice(1), { nowMs: now, wide: true }).split('\n')[1]).toBe('coredns   1/1     Running   0          24h   10.42.0.2   <none>');
    expect(restartsText({ restarts: 2 } as PodView, now)).toBe('2');
  });

  it('prints events oldest first with the object as kind/name', () => {
    const events = [
      eventView({ metadata: { name: 'b', namespace: 'shop' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', involvedObject: { kind: 'Pod', name: 'web' }, lastTimestamp: '2026-11-28T11:59:00Z' }),
      eventView({ metadata: { name: 'a', namespace: 'shop' }, type: 'Normal', reason: 'Pulled', message: 'Image pulled', involvedObject: { kind: 'Pod', name: 'web' }, lastTimestamp: '2026-11-28T11:50:00Z' }),
    ];
    expect(eventsTable(events, { nowMs: now })).toBe(
      [
        'LAST SEEN   TYPE      REASON    OBJECT    MESSAGE',
        '10m         Normal    Pulled    pod/web   Image pulled',
        '60s         Warning   BackOff   pod/web   Back-off restarting failed container',
        '',
      ].join('\n'),
    );
    expect(lastSeenText({ count: 12, firstSeen: '2026-11-28T11:30:00Z', lastSeen: '2026-11-28T11:59:18Z' }, now)).toBe('42s (x12 over 30m)');
  });
});
