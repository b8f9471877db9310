import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { KubeError } from './status.js';

const deployment = {
  metadata: { name: 'web', annotations: { a: '1' }, finalizers: ['x'] },
  spec: {
    replicas: 2,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'busybox' },
        ],
        tolerations: [{ key: 'k', operator: 'Exists' }],
      },
    },
  },
};

describe('strategic merge patch', () => {
  it('adds the restartedAt annotation the way kubectl rollout restart sends it', () => {
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-28T15:00:00Z' } } } } };
    const out = strategicMergePatch(deployment, patch) as typeof deployment & { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    expect(out.spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-11-28T15:00:00Z' });
    expect(out.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(out.spec.template.spec.containers).toHaveLength(2);
  });

  it('merges containers and env by name, deletes with $patch, ignores $setElementOrder, replaces lists without a merge key', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
            containers: [
              { name: 'web', image: 'nginx:1.27', env: [{ name: 'B', value: '2' }] },
              { name: 'sidecar', $patch: 'delete' },
            ],
            tolerations: [{ key: 'other', operator: 'Exists' }],
          },
        },
      },
    };
    const out = strategicMergePatch(deployment, patch) as { spec: { template: { spec: { containers: unknown[]; tolerations: unknown[] } } } };
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
    ]);
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'other', operator: 'Exists' }]);
  });

  it('unions finalizers and removes values with $deleteFromPrimitiveList', () => {
    expect((strategicMergePatch(deployment, { metadata: { finalizers: ['y', 'x'] } }) as typeof deployment).metadata.finalizers).toEqual(['x', 'y']);
    expect((strategicMergePatch(deployment, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }) as typeof deployment).metadata.finalizers).toEqual([]);
  });

  it('cordons a node (spec.unschedulable) and null removes a field', () => {
    const node = { spec: { podCIDR: '10.42.0.0/24', unschedulable: true } };
    expect(strategicMergePatch({ spec: { podCIDR: '10.42.0.0/24' } }, { spec: { unschedulable: true } })).toEqual(node);
    expect(strategicMergePatch(node, { spec: { unschedulable: null } })).toEqual({ spec: { podCIDR: '10.42.0.0/24' } });
  });

  const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => v !== null);
  const plainMap = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }).filter((k) => !k.startsWith('$')), json, { maxKeys: 4 });

  it('equals a JSON merge patch on maps without lists or directives (property)', () => {
    const noArrays = (v: unknown): boolean => !Array.isArray(v) && (typeof v !== 'object' || v === null || Object.values(v).every(noArrays));
    fc.assert(
      fc.property(plainMap, plainMap, (target, patch) => {
        fc.pre(noArrays(patch));
        expect(strategicMergePatch(target, patch)).toEqual(mergePatch(target, patch));
      }),
    );
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('applying a patch twice changes nothing more (property)', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(value, value, (target, patch) => {
        expect(mergePatch(mergePatch(target, patch), patch)).toEqual(mergePatch(target, patch));
      }),
    );
  });

  it('follows the RFC examples', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({ a: 'z', c: { d: 'e' } });
    expect(mergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch(['a', 'b'], { a: 'c' })).toEqual({ a: 'c' });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('adds, replaces, removes, moves, copies and tests', () => {
    const doc = { metadata: { labels: { a: '1' } }, list: [1, 2] };
    const out = jsonPatch(doc, [
      { op: 'add', path: '/metadata/labels/b~1c', value: '2' },
      { op: 'replace', path: '/metadata/labels/a', value: '9' },
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'remove', path: '/list/0' },
      { op: 'copy', from: '/list', path: '/copy' },
      { op: 'move', from: '/copy', path: '/moved' },
      { op: 'test', path: '/moved', value: [2, 3] },
    ]);
    expect(out).toEqual({ metadata: { labels: { a: '9', 'b/c': '2' } }, list: [2, 3], moved: [2, 3] });
    expect(doc.list).toEqual([1, 2]);
  });

  it('rejects a failed test and a missing path with 422 Invalid', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(KubeError);
    expect(() => jsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(/does not apply/);
    expect(() => jsonPatch({}, { op: 'add' })).toThrow(/array of operations/);
  });
});

it('refuses patch types it does not know with 415', () => {
  try {
    applyPatch('application/apply-patch+yaml', {}, {});
    expect.unreachable();
  } catch (err) {
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).code).toBe(415);
  }
});
