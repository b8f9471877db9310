import { useEffect, useState } from 'react';
import type { Reachability, SshConnectionView, SshProfileView } from '../../../../shared/contract/index.js';
import { connectionOf, useDevices, type DevicesActions } from './devices-store.js';
import { describeState, destination } from './format.js';

/** Reachability is probed again this often while the list is shown (a TCP connect and the SSH banner, nothing sent). */
const RECHECK_MS = 30_000;

function ReachabilityBadge({ result, checking }: { result: Reachability | undefined; checking: boolean }) {
  if (!result) return <span className="reach unknown">{checking ? 'checking…' : 'not checked'}</span>;
  const via = result.via ? ` via ${result.via}` : '';
  return result.reachable ? (
    <span className="reach up" title={result.banner ?? result.error ?? undefined}>
      reachable{via} · {result.latencyMs} ms
    </span>
  ) : (
    <span className="reach down" title={result.error ?? undefined}>
      unreachable{via}: {result.error}
    </span>
  );
}

function Row({ profile, connection, actions }: { profile: SshProfileView; connection: SshConnectionView | undefined; actions: DevicesActions }) {
  const reach = useDevices((s) => s.reachability[profile.id]);
  const checking = useDevices((s) => s.checking);
  return (
    <tr>
      <td>
        <button className="link-button gateway-name" onClick={() => actions.show({ page: 'device', profileId: profile.id })}>
          {profile.name}
        </button>
      </td>
      <td className="mono">{destination(profile)}</td>
      <td>
        <ReachabilityBadge result={reach} checking={checking} />
      </td>
      <td>{connection ? describeState(connection.state) : <span className="muted">not connected</span>}</td>
    </tr>
  );
}

export function GatewayList({ actions }: { actions: DevicesActions }) {
  const profiles = useDevices((s) => s.profiles) ?? [];
  const connections = useDevices((s) => s.connections);
  const checking = useDevices((s) => s.checking);
  const [importPath, setImportPath] = useState('');
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    const timer = setInterval(() => void actions.checkReachability(), RECHECK_MS);
    return () => clearInterval(timer);
  }, [actions]);

  return (
    <div className="gateway-list">
      <div className="devices-toolbar">
        <button className="button primary" onClick={() => actions.show({ page: 'add' })}>
          Add gateway
        </button>
        <button className="button" onClick={() => setImporting((v) => !v)} aria-expanded={importing}>
          Import SSH config…
        </button>
        <span className="status-spacer" />
        <button className="button" disabled={checking} onClick={() => void actions.checkReachability()}>
          {checking ? 'Checking…' : 'Check reachability'}
        </button>
      </div>
      {importing && (
        <form
          className="devices-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void actions.importConfig(importPath.trim() || undefined);
            setImporting(false);
          }}
        >
          <label>
            OpenSSH config file on this machine
            <input value={importPath} onChange={(e) => setImportPath(e.target.value)} placeholder="~/.ssh/config" aria-label="SSH config path" />
          </label>
          <button className="button primary" type="submit">
            Import
          </button>
        </form>
      )}
      <table className="gateways" aria-label="Saved gateways">
        <thead>
          <tr>
            <th>Gateway</th>
            <th>Address</th>
            <th>Reachability</th>
            <th>Connection</th>
          </tr>
        </thead>
        <tbody>
          {profiles.map((p) => (
            <Row key={p.id} profile={p} connection={connectionOf(connections, p.id)} actions={actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
