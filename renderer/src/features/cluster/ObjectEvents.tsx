import { useMemo } from 'react';
import { lastSeenText } from '../../../../shared/cluster/kubectl-table.js';
import { eventsFor } from './cluster-model.js';
import { useCluster } from './cluster-store.js';
import { useNow } from './use-now.js';

/** The watched events about one object, newest first. */
export function ObjectEvents({ kind, namespace, name }: { kind: 'Pod' | 'Node'; namespace?: string; name: string }) {
  const events = useCluster((s) => s.objects.events);
  const list = useMemo(() => eventsFor(events, kind, namespace, name), [events, kind, namespace, name]);
  const now = useNow();
  if (list.length === 0) return <p className="muted drawer-empty">No events about this {kind.toLowerCase()} in the watched window.</p>;
  return (
    <table className="cluster-events" aria-label={`Events of ${name}`}>
      <thead>
        <tr>
          <th>Type</th>
          <th>Reason</th>
          <th>Last seen</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {list.map((e) => (
          <tr key={e.uid} className={e.type === 'Warning' ? 'event-warning' : undefined}>
            <td>{e.type}</td>
            <td>{e.reason}</td>
            <td className="event-age">{lastSeenText(e, now)}</td>
            <td className="event-message">{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
