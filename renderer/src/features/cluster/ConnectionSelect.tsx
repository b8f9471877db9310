import { useMemo } from 'react';
import { useCluster } from './cluster-store.js';

/** The SSH connections that are up right now (the Devices section opens them). */
export function useReadyConnections() {
  const connections = useCluster((s) => s.connections);
  return useMemo(() => connections.filter((c) => c.state.state === 'ready'), [connections]);
}

/** Picks an open SSH connection; `label` names it for assistive tech, `caption` (default: the label) is shown. */
export function ConnectionSelect({ label, caption = label, value, onChange }: { label: string; caption?: string; value: string; onChange(id: string): void }) {
  const ready = useReadyConnections();
  return (
    <label>
      {caption}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        <option value="">{ready.length ? 'Pick a connection…' : 'No open SSH connection: connect in Devices first'}</option>
        {ready.map((c) => (
          <option key={c.connectionId} value={c.connectionId}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
