import type { NodeView, PodView } from '../../../../shared/contract/cluster.js';
import { nodeStatus } from '../../../../shared/cluster/node-view.js';
import { podKey } from './cluster-model.js';

export type SortDir = 'asc' | 'desc';
export interface Sort<C extends string> {
  column: C;
  dir: SortDir;
}

type Key = string | number;

/** Lower case with every digit run zero-padded: plain `<` then sorts `web-9` before `web-10` and IPs by octet. */
export const naturalKey = (text: string | undefined) => (text ?? '').toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
/** By age, not creation time: ascending puts the youngest first. */
const ageKey = (createdAt: string) => -Date.parse(createdAt);

/**
 * Sort keys and filter text per row object, computed once: a watch batch replaces a few objects, so re-sorting
 * 1,000 rows after it compares cached keys instead of re-deriving them.
 */
function keyCache<T extends object, C extends string>(extract: Record<C | 'tie' | 'text', (row: T) => Key>) {
  const cache = new WeakMap<T, Map<string, Key>>();
  return (row: T, column: C | 'tie' | 'text'): Key => {
    let keys = cache.get(row);
    if (!keys) cache.set(row, (keys = new Map()));
    let key = keys.get(column);
    if (key === undefined) keys.set(column, (key = extract[column](row)));
    return key;
  };
}

export const POD_COLUMNS = ['namespace', 'name', 'ready', 'status', 'restarts', 'age', 'node', 'ip'] as const;
export type PodColumn = (typeof POD_COLUMNS)[number];
const podKeyOf = keyCache<PodView, PodColumn>({
  namespace: (p) => naturalKey(p.namespace),
  name: (p) => naturalKey(p.name),
  ready: (p) => (p.total ? p.ready / p.total : 1),
  status: (p) => naturalKey(p.status),
  restarts: (p) => p.restarts,
  age: (p) => ageKey(p.createdAt),
  node: (p) => naturalKey(p.node),
  ip: (p) => naturalKey(p.ip),
  tie: (p) => naturalKey(podKey(p)),
  text: (p) => `${p.namespace}/${p.name} ${p.status} ${p.node ?? ''} ${p.ip ?? ''} ${p.owner?.name ?? ''}`.toLowerCase(),
});

export const NODE_COLUMNS = ['name', 'status', 'roles', 'version', 'arch', 'os', 'ip', 'age'] as const;
export type NodeColumn = (typeof NODE_COLUMNS)[number];
const nodeKeyOf = keyCache<NodeView, NodeColumn>({
  name: (n) => naturalKey(n.name),
  status: (n) => naturalKey(nodeStatus(n)),
  roles: (n) => naturalKey(n.roles.join(',')),
  version: (n) => naturalKey(n.version),
  arch: (n) => naturalKey(n.arch),
  os: (n) => naturalKey(n.osImage),
  ip: (n) => naturalKey(n.internalIp),
  age: (n) => ageKey(n.createdAt),
  tie: (n) => naturalKey(n.name),
  text: (n) => `${n.name} ${nodeStatus(n)} ${n.roles.join(' ')} ${n.version} ${n.arch} ${n.osImage} ${n.internalIp ?? ''}`.toLowerCase(),
});

/** Every whitespace-separated word must appear somewhere in the row's text (case-insensitive). */
const wordsOf = (query: string) => query.toLowerCase().split(/\s+/).filter(Boolean);

function rowsOf<T extends object, C extends string>(objects: Iterable<T>, keyOf: (row: T, column: C | 'tie' | 'text') => Key, query: string, sort: Sort<C>, keep: (row: T) => boolean): T[] {
  const words = wordsOf(query);
  const picked: { row: T; key: Key; tie: Key }[] = [];
  for (const row of objects) {
    if (!keep(row)) continue;
    if (words.length) {
      const text = keyOf(row, 'text') as string;
      if (!words.every((w) => text.includes(w))) continue;
    }
    picked.push({ row, key: keyOf(row, sort.column), tie: keyOf(row, 'tie') });
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  picked.sort((a, b) => (a.key < b.key ? -sign : a.key > b.key ? sign : a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0));
  return picked.map((p) => p.row);
}

export const podRows = (pods: ReadonlyMap<string, PodView>, query: string, namespace: string, sort: Sort<PodColumn>): PodView[] =>
  rowsOf(pods.values(), podKeyOf, query, sort, (p) => !namespace || p.namespace === namespace);

export const nodeRows = (nodes: ReadonlyMap<string, NodeView>, query: string, sort: Sort<NodeColumn>): NodeView[] => rowsOf(nodes.values(), nodeKeyOf, query, sort, () => true);

export function namespacesOf(pods: ReadonlyMap<string, PodView>): string[] {
  return [...new Set(Array.from(pods.values(), (p) => p.namespace))].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : 1));
}

/** Caches the last result for arguments that are the same (`Object.is`) as last time. */
export function memoizeLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    last = { args, result: fn(...args) };
    return last.result;
  };
}

/** Clicking the sorted column flips it; another column starts ascending. */
export const nextSort = <C extends string>(sort: Sort<C>, column: C): Sort<C> =>
  sort.column === column ? { column, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: 'asc' };
