import type { EventView, NodeView, PodView } from '../contract/cluster.js';
import { ageOf } from './age.js';
import { eventTarget } from './event-view.js';
import { nodeStatus } from './node-view.js';

/** Columns padded to the widest cell plus three spaces, the last one unpadded: kubectl's tabwriter layout. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] + 3))).join('');
  return [header, ...rows].map(line).join('\n') + '\n';
}

/** kubectl's RESTARTS: `4 (2m ago)` once there was a restart. */
export function restartsText(pod: Pick<PodView, 'restarts' | 'lastRestartAt'>, nowMs: number): string {
  return pod.restarts > 0 && pod.lastRestartAt ? `${pod.restarts} (${ageOf(pod.lastRestartAt, nowMs)} ago)` : String(pod.restarts);
}

export interface TableOptions {
  nowMs: number;
  /** `-A`: a NAMESPACE column first. */
  allNamespaces?: boolean;
  /** `-o wide`: the extra columns. */
  wide?: boolean;
}

export function nodesTable(nodes: readonly NodeView[], { nowMs, wide }: TableOptions): string {
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(wide ? ['INTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'ARCH'] : [])];
  const rows = [...nodes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n) => [
      n.name,
      nodeStatus(n),
      n.roles.length ? n.roles.join(',') : '<none>',
      ageOf(n.createdAt, nowMs),
      n.version,
      ...(wide ? [n.internalIp ?? '<none>', n.osImage, n.kernel, n.arch] : []),
    ]);
  return formatTable(header, rows);
}

const byNamespaceThenName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

export function podsTable(pods: readonly PodView[], { nowMs, allNamespaces, wide }: TableOptions): string {
  const header = [...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE'] : [])];
  const rows = [...pods]
    .sort(byNamespaceThenName)
    .map((p) => [
      ...(allNamespaces ? [p.namespace] : []),
      p.name,
      `${p.ready}/${p.total}`,
      p.status,
      restartsText(p, nowMs),
      ageOf(p.createdAt, nowMs),
      ...(wide ? [p.ip ?? '<none>', p.node ?? '<none>'] : []),
    ]);
  return formatTable(header, rows);
}

/** kubectl's LAST SEEN: `42s`, or `42s (x12 over 30m)` for a repeated event. */
export function lastSeenText(event: Pick<EventView, 'lastSeen' | 'firstSeen' | 'count'>, nowMs: number): string {
  const last = ageOf(event.lastSeen, nowMs);
  return event.count > 1 ? `${last} (x${event.count} over ${ageOf(event.firstSeen ?? event.lastSeen, nowMs)})` : last;
}

export function eventsTable(events: readonly EventView[], { nowMs, allNamespaces }: TableOptions): string {
  const header = [...(allNamespaces ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const rows = [...events]
    .sort((a, b) => Date.parse(a.lastSeen) - Date.parse(b.lastSeen) || byNamespaceThenName(a, b))
    .map((e) => [...(allNamespaces ? [e.namespace] : []), lastSeenText(e, nowMs), e.type, e.reason, eventTarget(e), e.message]);
  return formatTable(header, rows);
}
