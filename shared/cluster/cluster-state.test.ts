import { describe, expect, it } from 'vitest';
import type { ClusterChange } from '../contract/cluster.js';
import { ClusterState, changeOf, coalesce, keyOf } from './cluster-state.js';

const rawPod = (name: string, phase = 'Running') => ({ metadata: { name, namespace: 'ns', uid: name }, status: { phase } });

describe('ClusterState', () => {
  it('turns watch events into changes keyed like the contract says', () => {
    expect(changeOf('pod', 'ADDED', rawPod('a'))).toMatchObject({ op: 'upsert', kind: 'pod', object: { name: 'a', status: 'Running' } });
    expect(changeOf('pod', 'DELETED', rawPod('a'))).toEqual({ op: 'delete', kind: 'pod', key: 'ns/a' });
    expect(changeOf('node', 'DELETED', { metadata: { name: 'gw-1' } })).toEqual({ op: 'delete', kind: 'node', key: 'gw-1' });
    expect(changeOf('pod', 'BOOKMARK', rawPod('a'))).toBeUndefined();
    expect(keyOf('event', { namespace: 'kube-system', name: 'x.1' })).toBe('kube-system/x.1');
  });

  it('applies upserts and deletes and replaces one kind after a re-list', () => {
    const state = new ClusterState();
    state.replace('pod', [changeOf('pod', 'ADDED', rawPod('a')), changeOf('pod', 'ADDED', rawPod('b'))].map((c) => (c as Extract<ClusterChange, { kind: 'pod'; op: 'upsert' }>).object));
    state.apply(changeOf('pod', 'MODIFIED', rawPod('a', 'Failed'))!);
    state.apply(changeOf('pod', 'DELETED', rawPod('b'))!);
    state.apply(changeOf('node', 'ADDED', { metadata: { name: 'gw-1' } })!);
    expect(state.size).toEqual({ node: 1, pod: 1, event: 0 });
    expect(state.data().pods[0]).toMatchObject({ name: 'a', phase: 'Failed' });
    const copy = new ClusterState();
    copy.load(state.data());
    copy.replace('pod', []);
    expect(copy.size).toEqual({ node: 1, pod: 0, event: 0 });
    expect(state.size.pod).toBe(1);
  });

  it('coalesces a batch to the last change per object, in the order of those last changes', () => {
    const a1 = changeOf('pod', 'ADDED', rawPod('a', 'Pending'))!;
    const b = changeOf('pod', 'ADDED', rawPod('b'))!;
    const a2 = changeOf('pod', 'MODIFIED', rawPod('a', 'Running'))!;
    const node = changeOf('node', 'ADDED', { metadata: { name: 'a' } })!;
    const aGone = changeOf('pod', 'DELETED', rawPod('a'))!;
    expect(coalesce([a1, b, a2, node])).toEqual([b, a2, node]);
    expect(coalesce([a1, b, aGone])).toEqual([b, aGone]);
  });
});
