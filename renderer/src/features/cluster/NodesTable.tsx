import { useMemo, type KeyboardEvent } from 'react';
import type { NodeView } from '../../../../shared/contract/cluster.js';
import { nodeStatus } from '../../../../shared/cluster/node-view.js';
import { nodeTone, since } from './cluster-model.js';
import { useCluster, type NodeTab } from './cluster-store.js';
import { memoizeLast, nextSort, nodeRows, type NodeColumn } from './table-model.js';
import { useNow } from './use-now.js';
import { RowCount, TableFilter } from './TableFilter.js';
import { VirtualTable, type Column } from './VirtualTable.js';

const COLUMNS: readonly Column<NodeView, NodeColumn>[] = [
  { id: 'name', label: 'Name', width: 'minmax(140px, 2fr)', sortable: true, cell: (n) => n.name },
  {
    id: 'status',
    label: 'Status',
    width: 'minmax(130px, 1.6fr)',
    sortable: true,
    cell: (n) => (
      <span className="status-text" title={n.conditions.map((c) => `${c.type}=${c.status}${c.message ? `: ${c.message}` : ''}`).join('\n')}>
        {nodeStatus(n)}
        {n.pressure.length > 0 && <span className="pressure"> · {n.pressure.join(', ')}</span>}
      </span>
    ),
  },
  { id: 'roles', label: 'Roles', width: 'minmax(90px, 1fr)', sortable: true, cell: (n) => n.roles.join(',') || '<none>' },
  { id: 'version', label: 'Version', width: 'minmax(100px, 1fr)', sortable: true, cell: (n) => n.version },
  { id: 'arch', label: 'Arch', width: '64px', sortable: true, cell: (n) => n.arch },
  { id: 'os', label: 'OS image', width: 'minmax(110px, 1.4fr)', sortable: true, cell: (n) => n.osImage },
  { id: 'ip', label: 'Internal IP', width: '104px', sortable: true, cell: (n) => n.internalIp ?? '' },
  { id: 'cpu', label: 'CPU / Mem', width: '96px', sortable: false, cell: (n) => `${n.allocatable.cpu ?? '?'} / ${shortMemory(n.allocatable.memory)}` },
  { id: 'age', label: 'Age', width: '62px', sortable: true, align: 'right', cell: (n, now) => since(n.createdAt, now) },
];

/** `8039912Ki` → `7.7Gi`: allocatable memory as a person reads it. */
export function shortMemory(quantity: string | undefined): string {
  const match = quantity && /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!match) return quantity ?? '?';
  const unit = match[2] === 'Gi' ? 1024 ** 3 : match[2] === 'Mi' ? 1024 ** 2 : match[2] === 'Ki' ? 1024 : 1;
  const bytes = Number(match[1]) * unit;
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)}Gi` : `${Math.round(bytes / 1024 ** 2)}Mi`;
}

const rowsOf = memoizeLast(nodeRows);
const tone = (n: NodeView) => nodeTone(n);
const nodeKey = (n: NodeView) => n.name;
const NODE_KEYS: Record<string, NodeTab> = { y: 'yaml', e: 'events', d: 'details' };

export function NodesTable() {
  const nodes = useCluster((s) => s.objects.nodes);
  const query = useCluster((s) => s.nodeQuery);
  const sort = useCluster((s) => s.nodeSort);
  const selected = useCluster((s) => s.selectedNode);
  const loaded = useCluster((s) => s.loaded);
  const now = useNow();
  const rows = rowsOf(nodes, query, sort);
  const set = useCluster.setState;

  const handlers = useMemo(
    () => ({
      onSort: (column: NodeColumn) => set((s) => ({ nodeSort: nextSort(s.nodeSort, column) })),
      onSelect: (key: string) => set({ selectedNode: key }),
      onOpen: (key: string) => set({ selectedNode: key, drawer: { kind: 'node', key, tab: 'details' } }),
      onKey(event: KeyboardEvent, key: string) {
        const tab = NODE_KEYS[event.key];
        if (!tab || event.ctrlKey) return;
        set({ drawer: { kind: 'node', key, tab } });
        event.preventDefault();
      },
    }),
    [set],
  );

  return (
    <div className="cluster-table-pane">
      <div className="cluster-toolbar">
        <TableFilter noun="nodes" hint="name, status, role, arch…" value={query} onChange={(nodeQuery) => set({ nodeQuery })} />
        <RowCount shown={rows.length} total={nodes.size} noun="nodes" testId="node-count" />
      </div>
      <VirtualTable
        label="Nodes"
        rows={rows}
        rowKey={nodeKey}
        tone={tone}
        columns={COLUMNS}
        sort={sort}
        selectedKey={selected}
        now={now}
        empty={loaded ? (nodes.size ? 'No node matches the filter.' : 'No nodes in this cluster.') : 'Loading nodes…'}
        {...handlers}
      />
    </div>
  );
}
