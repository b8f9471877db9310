import { useState } from 'react';
import type { SshProfileView } from '../../../../shared/contract/index.js';
import { connectionOf, useDevices, type DevicesActions } from './devices-store.js';
import { FilesTab } from './FilesTab.js';
import { describeState, destination } from './format.js';
import { LogsTab } from './LogsTab.js';
import { TerminalTab } from './TerminalTab.js';

type Tab = 'terminal' | 'files' | 'logs';
const TABS: { id: Tab; label: string }[] = [
  { id: 'terminal', label: 'Terminal' },
  { id: 'files', label: 'Files' },
  { id: 'logs', label: 'Logs' },
];

/** The secret field the connect bar shows, and whether the connection cannot go without it. */
function secretField(profile: SshProfileView): { label: string; needed: boolean } | null {
  if (profile.auth.kind === 'password' || profile.auth.kind === 'keyboard-interactive') return { label: 'Password', needed: !profile.secretSaved };
  if (profile.auth.kind === 'key') return profile.auth.hasPassphrase ? { label: 'Key passphrase', needed: !profile.secretSaved } : { label: 'Key passphrase (if the key has one)', needed: false };
  return null;
}

function ConnectForm({ profile, actions }: { profile: SshProfileView; actions: DevicesActions }) {
  const connecting = useDevices((s) => s.connecting === profile.id);
  const persistent = useDevices((s) => s.secretsPersistent);
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(false);
  const field = secretField(profile);
  return (
    <form
      className="connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        const typed = secret;
        setSecret('');
        void actions.connect(profile.id, typed || undefined, remember);
      }}
    >
      {field && (
        <label>
          {field.label}
          {profile.secretSaved && ' (saved; type to use another)'}
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" required={field.needed} aria-label={field.label} />
        </label>
      )}
      {field && (
        <label className="checkbox" title={persistent ? 'Kept encrypted by the OS keychain' : 'Browser mode keeps it only until FieldKit stops'}>
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember {persistent ? '(OS keychain)' : 'until FieldKit stops'}
        </label>
      )}
      <button className="button primary" type="submit" disabled={connecting}>
        {connecting ? 'Connecting…' : 'Connect'}
      </button>
    </form>
  );
}

export function DevicePage({ profileId, actions }: { profileId: string; actions: DevicesActions }) {
  const profile = useDevices((s) => s.profiles?.find((p) => p.id === profileId));
  const connection = useDevices((s) => connectionOf(s.connections, profileId));
  const reach = useDevices((s) => s.reachability[profileId]);
  const [tab, setTab] = useState<Tab>('terminal');
  if (!profile) return null;
  const ready = connection?.state.state === 'ready';

  return (
    <div className="device-page">
      <div className="device-header">
        <button className="button" onClick={() => actions.show({ page: 'list' })} aria-label="Back to gateways">
          ← Gateways
        </button>
        <div className="device-title">
          <h2>{profile.name}</h2>
          <span className="mono muted">
            {destination(profile)}
            {reach && (reach.reachable ? ` · reachable, ${reach.latencyMs} ms` : ` · unreachable: ${reach.error}`)}
          </span>
        </div>
        <span className="status-spacer" />
        {connection && (
          <span className={`connection-state ${connection.state.state}`} data-testid="connection-state">
            {describeState(connection.state)}
          </span>
        )}
        {connection ? (
          <button className="button" onClick={() => void actions.disconnect(connection.connectionId)}>
            Disconnect
          </button>
        ) : (
          <>
            <button className="button" onClick={() => actions.show({ page: 'edit', profileId })}>
              Edit
            </button>
            <button
              className="button"
              onClick={() => {
                if (window.confirm(`Forget ${profile.name} and any password saved for it?`)) void actions.remove(profileId);
              }}
            >
              Delete
            </button>
          </>
        )}
      </div>
      {!connection && <ConnectForm profile={profile} actions={actions} />}
      {connection && (
        <>
          <div className="tabs" role="tablist" aria-label="Device">
            {TABS.map((t) => (
              <button key={t.id} role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' active' : ''}`} onClick={() => setTab(t.id)}>
                {t.label}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)!.label}>
            {!ready && <p className="muted">Waiting for the connection: {describeState(connection.state)}</p>}
            {ready && tab === 'terminal' && <TerminalTab connectionId={connection.connectionId} />}
            {ready && tab === 'files' && <FilesTab connectionId={connection.connectionId} />}
            {ready && tab === 'logs' && <LogsTab connectionId={connection.connectionId} device={profile.device ?? profile.name} />}
          </div>
        </>
      )}
    </div>
  );
}
