import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { node, pod } from './test-objects.js';
import { podKey } from './cluster-model.js';
import { memoizeLast, namespacesOf, naturalKey, nextSort, nodeRows, podRows } from './table-model.js';

const pods = new Map(
  [
    pod('web-10', { restarts: 2, node: 'gw-2', createdAt: '2026-11-28T09:00:00Z' }),
    pod('web-9', { restarts: 14, status: 'CrashLoopBackOff', node: 'gw-1', createdAt: '2026-11-28T08:00:00Z' }),
    pod('coredns', { namespace: 'kube-system', node: 'gw-1', createdAt: '2026-11-28T07:00:00Z' }),
  ].map((p) => [podKey(p), p]),
);
const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe('pod rows', () => {
  it('sort naturally (web-9 before web-10) and flip direction', () => {
    expect(names(podRows(pods, '', '', { column: 'name', dir: 'asc' }))).toEqual(['coredns', 'web-9', 'web-10']);
    expect(names(podRows(pods, '', '', { column: 'name', dir: 'desc' }))).toEqual(['web-10', 'web-9', 'coredns']);
    expect(names(podRows(pods, '', '', { column: 'restarts', dir: 'desc' }))).toEqual(['web-9', 'web-10', 'coredns']);
  });

  it('sort by age, the youngest first when ascending', () => {
    expect(names(podRows(pods, '', '', { column: 'age', dir: 'asc' }))).toEqual(['web-10', 'web-9', 'coredns']);
  });

  it('break ties by namespace/name so equal rows keep a stable order', () => {
    expect(names(podRows(pods, '', '', { column: 'ready', dir: 'asc' }))).toEqual(['web-9', 'web-10', 'coredns']);
  });

  it('filter by every word of the text (name, status, node) and by namespace', () => {
    expect(names(podRows(pods, 'crash', '', { column: 'name', dir: 'asc' }))).toEqual(['web-9']);
    expect(names(podRows(pods, 'GW-1', '', { column: 'name', dir: 'asc' }))).toEqual(['coredns', 'web-9']);
    expect(names(podRows(pods, 'gw-1 web', '', { column: 'name', dir: 'asc' }))).toEqual(['web-9']);
    expect(names(podRows(pods, '', 'kube-system', { column: 'name', dir: 'asc' }))).toEqual(['coredns']);
    expect(namespacesOf(pods)).toEqual(['default', 'kube-system']);
  });
});

describe('sort keys', () => {
  it('order numbers inside names by value, and IPs by octet', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e9), (a, b) => (naturalKey(`pod-${a}-x`) < naturalKey(`pod-${b}-x`)) === a < b));
    expect(['10.42.0.100', '10.42.0.9', '10.42.10.1'].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : 1))).toEqual(['10.42.0.9', '10.42.0.100', '10.42.10.1']);
  });

  it('follow a replaced object, not the cached keys of the one it replaced', () => {
    const sort = { column: 'restarts', dir: 'desc' } as const;
    expect(names(podRows(pods, '', '', sort))[0]).toBe('web-9');
    const next = new Map(pods).set('default/web-10', pod('web-10', { restarts: 40, status: 'CrashLoopBackOff' }));
    expect(names(podRows(next, '', '', sort))[0]).toBe('web-10');
    expect(names(podRows(next, 'crash', '', sort))).toEqual(['web-10', 'web-9']);
  });
});

describe('node rows', () => {
  it('filter by status words and sort by name', () => {
    const nodes = new Map([node('gw-2'), node('gw-10', { ready: 'False' }), node('server', { roles: ['control-plane'] })].map((n) => [n.name, n]));
    expect(names(nodeRows(nodes, '', { column: 'name', dir: 'asc' }))).toEqual(['gw-2', 'gw-10', 'server']);
    expect(names(nodeRows(nodes, 'notready', { column: 'name', dir: 'asc' }))).toEqual(['gw-10']);
    expect(names(nodeRows(nodes, 'control', { column: 'name', dir: 'asc' }))).toEqual(['server']);
  });
});

describe('memoisation and sort clicks', () => {
  it('recomputes only when an argument changes', () => {
    let calls = 0;
    const rows = memoizeLast((map: ReadonlyMap<string, unknown>, q: string) => (calls++, [...map.keys()].filter((k) => k.includes(q))));
    const first = rows(pods, 'web');
    expect(rows(pods, 'web')).toBe(first);
    expect(calls).toBe(1);
    rows(new Map(pods), 'web');
    rows(pods, 'core');
    expect(calls).toBe(3);
  });

  it('flips the sorted column and starts another ascending', () => {
    expect(nextSort({ column: 'name', dir: 'asc' }, 'name')).toEqual({ column: 'name', dir: 'desc' });
    expect(nextSort({ column: 'name', dir: 'desc' }, 'age')).toEqual({ column: 'age', dir: 'asc' });
  });
});
