import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterChange, EventView } from '../../../../shared/contract/cluster.js';
import { node, pod } from './test-objects.js';
import { applyChanges, eventsFor, fromReset, nodeTone, podKey, podTone, since, workloadOf } from './cluster-model.js';

const event = (name: string, object: EventView['object'], lastSeen: string): EventView => ({
  namespace: object.namespace ?? 'default',
  name,
  uid: `uid-${name}`,
  type: 'Warning',
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  object,
  count: 1,
  lastSeen,
});

describe('watch batches', () => {
  const reset = fromReset({ type: 'reset', nodes: [node('n1'), node('n2')], pods: [pod('a'), pod('b', { namespace: 'kube-system' })], events: [] });

  it('keys nodes by name and pods by namespace/name', () => {
    expect([...reset.nodes.keys()]).toEqual(['n1', 'n2']);
    expect([...reset.pods.keys()]).toEqual(['default/a', 'kube-system/b']);
  });

  it('keeps untouched maps and objects by identity, so only changed rows re-render', () => {
    const changed = pod('a', { status: 'CrashLoopBackOff' });
    const next = applyChanges(reset, [{ op: 'upsert', kind: 'pod', object: changed }]);
    expect(next.nodes).toBe(reset.nodes);
    expect(next.events).toBe(reset.events);
    expect(next.pods).not.toBe(reset.pods);
    expect(next.pods.get('default/a')).toBe(changed);
    expect(next.pods.get('kube-system/b')).toBe(reset.pods.get('kube-system/b'));
    expect(reset.pods.get('default/a')!.status).toBe('Running');
  });

  it('ignores deletes of objects it never saw without copying anything', () => {
    const next = applyChanges(reset, [{ op: 'delete', kind: 'node', key: 'gone' }]);
    expect(next).toEqual(reset);
    expect(next.nodes).toBe(reset.nodes);
  });

  it('applies a batch in order: an object added then deleted in one batch is gone', () => {
    const next = applyChanges(reset, [
      { op: 'upsert', kind: 'pod', object: pod('c') },
      { op: 'delete', kind: 'pod', key: 'default/c' },
      { op: 'delete', kind: 'node', key: 'n1' },
      { op: 'upsert', kind: 'event', object: event('e1', { kind: 'Pod', name: 'a', namespace: 'default' }, '2026-11-28T10:05:00Z') },
    ]);
    expect([...next.pods.keys()]).toEqual(['default/a', 'kube-system/b']);
    expect([...next.nodes.keys()]).toEqual(['n2']);
    expect([...next.events.keys()]).toEqual(['default/e1']);
  });

  it('ends with the same pods as replaying the changes on a plain map, for any batch split', () => {
    const change = fc.oneof(
      fc.constantFrom('a', 'b', 'c', 'd').map((name): ClusterChange => ({ op: 'upsert', kind: 'pod', object: pod(name, { restarts: name.length }) })),
      fc.constantFrom('a', 'b', 'c', 'd').map((name): ClusterChange => ({ op: 'delete', kind: 'pod', key: `default/${name}` })),
    );
    fc.assert(
      fc.property(fc.array(fc.array(change, { maxLength: 6 }), { maxLength: 6 }), (batches) => {
        const expected = new Map(reset.pods);
        for (const c of batches.flat()) {
          if (c.op === 'delete') expected.delete(c.key);
          else if (c.kind === 'pod') expected.set(podKey(c.object), c.object);
        }
        const result = batches.reduce(applyChanges, reset);
        expect([...result.pods.entries()].sort()).toEqual([...expected.entries()].sort());
      }),
    );
  });
});

describe('ages', () => {
  it('are kubectl ages, and empty for an instant that is not there', () => {
    const now = Date.parse('2026-11-28T10:10:00Z');
    expect(since('2026-11-28T10:08:00Z', now)).toBe('2m');
    expect(since(undefined, now)).toBe('');
  });
});

describe('status colours', () => {
  it('marks crash loops and pull errors red, not-ready and pending amber, completed muted', () => {
    expect(podTone(pod('a', { status: 'CrashLoopBackOff', ready: 0 }))).toBe('bad');
    expect(podTone(pod('a', { status: 'ImagePullBackOff', ready: 0 }))).toBe('bad');
    expect(podTone(pod('a', { status: 'Error', ready: 0 }))).toBe('bad');
    expect(podTone(pod('a', { status: 'OOMKilled' }))).toBe('bad');
    expect(podTone(pod('a', { status: 'Running', ready: 1, total: 2 }))).toBe('warn');
    expect(podTone(pod('a', { status: 'Pending', ready: 0 }))).toBe('warn');
    expect(podTone(pod('a', { status: 'Terminating' }))).toBe('warn');
    expect(podTone(pod('a', { status: 'Completed', ready: 0 }))).toBe('done');
    expect(podTone(pod('a'))).toBe('ok');
  });

  it('marks nodes that are not Ready red, cordoned or under pressure amber', () => {
    expect(nodeTone(node('n', { ready: 'Unknown' }))).toBe('bad');
    expect(nodeTone(node('n', { pressure: ['DiskPressure'] }))).toBe('warn');
    expect(nodeTone(node('n'))).toBe('ok');
  });
});

describe('workloads and events', () => {
  it('finds the Deployment behind a ReplicaSet owner, and takes other workload owners as they are', () => {
    expect(workloadOf(pod('web-7d9f-x', { owner: { kind: 'ReplicaSet', name: 'web-7d9f' }, labels: { 'pod-template-hash': '7d9f' } }))).toEqual({ kind: 'Deployment', name: 'web' });
    expect(workloadOf(pod('agent-x', { owner: { kind: 'DaemonSet', name: 'agent' } }))).toEqual({ kind: 'DaemonSet', name: 'agent' });
    expect(workloadOf(pod('rs-x', { owner: { kind: 'ReplicaSet', name: 'rs' } }))).toBeUndefined();
    expect(workloadOf(pod('job-x', { owner: { kind: 'Job', name: 'job' } }))).toBeUndefined();
    expect(workloadOf(pod('bare'))).toBeUndefined();
  });

  it('lists the events about one pod, newest first', () => {
    const events = new Map(
      [
        event('old', { kind: 'Pod', name: 'a', namespace: 'default' }, '2026-11-28T10:00:00Z'),
        event('new', { kind: 'Pod', name: 'a', namespace: 'default' }, '2026-11-28T10:09:00Z'),
        event('other-ns', { kind: 'Pod', name: 'a', namespace: 'kube-system' }, '2026-11-28T10:09:00Z'),
        event('node', { kind: 'Node', name: 'a' }, '2026-11-28T10:09:00Z'),
      ].map((e) => [`${e.namespace}/${e.name}`, e]),
    );
    expect(eventsFor(events, 'Pod', 'default', 'a').map((e) => e.name)).toEqual(['new', 'old']);
    expect(eventsFor(events, 'Node', undefined, 'a').map((e) => e.name)).toEqual(['node']);
  });
});
