import { useMemo } from 'react';
import { nodeStatus } from '../../../../shared/cluster/node-view.js';
import { nodeTone, since } from './cluster-model.js';
import { useCluster, type ClusterActions, type NodeTab } from './cluster-store.js';
import { DrawerFrame } from './DrawerFrame.js';
import { LeavePanel } from './LeavePanel.js';
import { shortMemory } from './NodesTable.js';
import { ObjectEvents } from './ObjectEvents.js';
import { useNow } from './use-now.js';
import { YamlView } from './YamlView.js';

const TABS: { id: NodeTab; label: string; key: string }[] = [
  { id: 'details', label: 'Details', key: 'd' },
  { id: 'events', label: 'Events', key: 'e' },
  { id: 'yaml', label: 'YAML', key: 'y' },
  { id: 'leave', label: 'Leave', key: '' },
];

export function NodeDrawer({ name, tab, actions }: { name: string; tab: NodeTab; actions: ClusterActions }) {
  const node = useCluster((s) => s.objects.nodes.get(name));
  const pods = useCluster((s) => s.objects.pods);
  const podCount = useMemo(() => Array.from(pods.values()).filter((p) => p.node === name).length, [pods, name]);
  const leaving = useCluster((s) => name in s.leaves);
  const now = useNow();
  if (!node) {
    return (
      <DrawerFrame title={name} subtitle="Node" tabs={[]} tab="" onTab={() => {}}>
        <p className="muted drawer-empty">This node is no longer in the cluster.</p>
        {leaving && <LeavePanel nodeName={name} actions={actions} />}
      </DrawerFrame>
    );
  }
  return (
    <DrawerFrame
      title={node.name}
      subtitle={
        <>
          <span className={`status-chip tone-${nodeTone(node)}`}>{nodeStatus(node)}</span> {node.roles.join(',') || 'agent'} · {node.version} · {node.arch} · {podCount} pods · age{' '}
          {since(node.createdAt, now)}
        </>
      }
      tabs={TABS.map((t) => ({ ...t, key: t.key || '—' }))}
      tab={tab}
      onTab={(next) => useCluster.setState({ drawer: { kind: 'node', key: name, tab: next as NodeTab } })}
    >
      {tab === 'details' && (
        <div className="node-details">
          <dl className="kv">
            <dt>OS image</dt>
            <dd>{node.osImage}</dd>
            <dt>Kernel</dt>
            <dd>{node.kernel}</dd>
            <dt>Internal IP</dt>
            <dd>{node.internalIp ?? '—'}</dd>
            <dt>Allocatable</dt>
            <dd>
              CPU {node.allocatable.cpu ?? '?'} · memory {shortMemory(node.allocatable.memory)} · pods {node.allocatable.pods ?? '?'}
            </dd>
            <dt>Schedulable</dt>
            <dd>{node.unschedulable ? 'No (cordoned)' : 'Yes'}</dd>
          </dl>
          <h3>Conditions</h3>
          <table className="cluster-events" aria-label="Conditions">
            <thead>
              <tr>
                <th>Type</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Since</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {node.conditions.map((c) => {
                const bad = c.type === 'Ready' ? c.status !== 'True' : c.status === 'True';
                return (
                  <tr key={c.type} className={bad ? 'event-warning' : undefined}>
                    <td>{c.type}</td>
                    <td>{c.status}</td>
                    <td>{c.reason ?? ''}</td>
                    <td>{since(c.lastTransition, now)}</td>
                    <td className="event-message">{c.message ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>Labels</h3>
          <ul className="labels">
            {Object.entries(node.labels).map(([k, v]) => (
              <li key={k}>
                <code>
                  {k}={v}
                </code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {tab === 'events' && <ObjectEvents kind="Node" name={node.name} />}
      {tab === 'yaml' && <YamlView kind="Node" name={node.name} />}
      {tab === 'leave' && <LeavePanel nodeName={node.name} actions={actions} />}
    </DrawerFrame>
  );
}
