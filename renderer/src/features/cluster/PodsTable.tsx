import { useMemo, type KeyboardEvent } from 'react';
import type { PodView } from '../../../../shared/contract/cluster.js';
import { restartsText } from '../../../../shared/cluster/kubectl-table.js';
import { podKey, podTone, since } from './cluster-model.js';
import { isReadOnly, useCluster, type PodTab } from './cluster-store.js';
import { memoizeLast, namespacesOf, nextSort, podRows, type PodColumn } from './table-model.js';
import { useNow } from './use-now.js';
import { RowCount, TableFilter } from './TableFilter.js';
import { VirtualTable, type Column } from './VirtualTable.js';

const COLUMNS: readonly Column<PodView, PodColumn>[] = [
  { id: 'namespace', label: 'Namespace', width: 'minmax(116px, 0.9fr)', sortable: true, cell: (p) => p.namespace },
  { id: 'name', label: 'Name', width: 'minmax(200px, 3fr)', sortable: true, cell: (p) => <span title={p.name}>{p.name}</span> },
  { id: 'ready', label: 'Ready', width: '76px', sortable: true, cell: (p) => `${p.ready}/${p.total}` },
  { id: 'status', label: 'Status', width: 'minmax(170px, 1.3fr)', sortable: true, cell: (p) => <span className="status-text">{p.status}</span> },
  { id: 'restarts', label: 'Restarts', width: '136px', sortable: true, align: 'right', cell: (p, now) => restartsText(p, now) },
  { id: 'age', label: 'Age', width: '70px', sortable: true, align: 'right', cell: (p, now) => since(p.createdAt, now) },
  { id: 'node', label: 'Node', width: 'minmax(100px, 0.9fr)', sortable: true, cell: (p) => p.node ?? '' },
  { id: 'ip', label: 'IP', width: '112px', sortable: true, cell: (p) => p.ip ?? '' },
];

const rowsOf = memoizeLast(podRows);
const namespacesOfPods = memoizeLast(namespacesOf);
const tone = (p: PodView) => podTone(p);

/** Keys on a selected pod, as in k9s. */
const POD_KEYS: Record<string, PodTab> = { l: 'logs', s: 'shell', y: 'yaml', e: 'events' };

export function PodsTable() {
  const pods = useCluster((s) => s.objects.pods);
  const query = useCluster((s) => s.podQuery);
  const namespace = useCluster((s) => s.namespace);
  const sort = useCluster((s) => s.podSort);
  const selected = useCluster((s) => s.selectedPod);
  const loaded = useCluster((s) => s.loaded);
  const now = useNow();
  const rows = rowsOf(pods, query, namespace, sort);
  const namespaces = namespacesOfPods(pods);
  const set = useCluster.setState;

  const handlers = useMemo(
    () => ({
      onSort: (column: PodColumn) => set((s) => ({ podSort: nextSort(s.podSort, column) })),
      onSelect: (key: string) => set({ selectedPod: key }),
      onOpen: (key: string) => set((s) => ({ selectedPod: key, drawer: { kind: 'pod', key, tab: s.drawer?.kind === 'pod' ? s.drawer.tab : 'logs' } })),
      onKey(event: KeyboardEvent, key: string) {
        const state = useCluster.getState();
        const tab = POD_KEYS[event.key];
        if (tab && !event.ctrlKey) {
          if (tab === 'shell' && isReadOnly(state)) return;
          set({ drawer: { kind: 'pod', key, tab } });
        } else if (event.key === 'Delete' || (event.ctrlKey && event.key.toLowerCase() === 'd')) {
          if (!isReadOnly(state)) set({ confirm: { action: 'delete', key } });
        } else return;
        event.preventDefault();
      },
    }),
    [set],
  );

  return (
    <div className="cluster-table-pane">
      <div className="cluster-toolbar">
        <TableFilter noun="pods" hint="name, status, node…" value={query} onChange={(podQuery) => set({ podQuery })} />
        <label className="cluster-namespace">
          <span className="sr-only">Namespace</span>
          <select value={namespace} onChange={(e) => set({ namespace: e.target.value })} aria-label="Namespace">
            <option value="">All namespaces</option>
            {namespaces.map((ns) => (
              <option key={ns}>{ns}</option>
            ))}
          </select>
        </label>
        <RowCount shown={rows.length} total={pods.size} noun="pods" testId="pod-count" />
      </div>
      <VirtualTable
        label="Pods"
        rows={rows}
        rowKey={podKey}
        tone={tone}
        columns={COLUMNS}
        sort={sort}
        selectedKey={selected}
        now={now}
        empty={loaded ? (pods.size ? 'No pod matches the filter.' : 'No pods in this cluster.') : 'Loading pods…'}
        {...handlers}
      />
    </div>
  );
}
