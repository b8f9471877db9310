import { useState, type FormEvent } from 'react';
import type { SshAuthSetting, SshProfileView } from '../../../../shared/contract/index.js';
import { useDevices, type DevicesActions } from './devices-store.js';

type AuthKind = SshAuthSetting['kind'];

const AUTH_LABELS: Record<AuthKind, string> = {
  agent: 'ssh-agent',
  key: 'Key file',
  password: 'Password',
  'keyboard-interactive': 'Keyboard-interactive (password prompt)',
};

/** Add or change a saved gateway. Secrets are not asked here: they are typed when connecting. */
export function GatewayForm({ actions, profile }: { actions: DevicesActions; profile?: SshProfileView }) {
  const profiles = useDevices((s) => s.profiles) ?? [];
  const [name, setName] = useState(profile?.name ?? '');
  const [host, setHost] = useState(profile?.host ?? '');
  const [port, setPort] = useState(String(profile?.port ?? 22));
  const [user, setUser] = useState(profile?.user ?? 'root');
  const [authKind, setAuthKind] = useState<AuthKind>(profile?.auth.kind ?? 'key');
  const [identityFile, setIdentityFile] = useState(profile?.auth.kind === 'key' ? profile.auth.identityFile : '');
  const [hasPassphrase, setHasPassphrase] = useState(profile?.auth.kind === 'key' && profile.auth.hasPassphrase === true);
  const [jump, setJump] = useState(profile?.jumpProfileIds[0] ?? '');
  const [site, setSite] = useState(profile?.site ?? '');
  const [device, setDevice] = useState(profile?.device ?? '');
  const portNumber = Number(port);
  const valid = name.trim() && host.trim() && user.trim() && Number.isInteger(portNumber) && portNumber > 0 && portNumber < 65536 && (authKind !== 'key' || identityFile.trim());

  const auth = (): SshAuthSetting => {
    if (authKind === 'key') return { kind: 'key', identityFile: identityFile.trim(), hasPassphrase };
    return { kind: authKind };
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    void actions.save({
      ...(profile && { id: profile.id }),
      name: name.trim(),
      host: host.trim(),
      port: portNumber,
      user: user.trim(),
      auth: auth(),
      jumpProfileIds: jump ? [jump] : [],
      ...(site.trim() && { site: site.trim() }),
      ...(device.trim() && { device: device.trim() }),
    });
  };

  return (
    <form className="gateway-form" onSubmit={submit} aria-label={profile ? `Edit ${profile.name}` : 'Add gateway'}>
      <h2>{profile ? `Edit ${profile.name}` : 'Add a gateway'}</h2>
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="gw-17" required autoFocus />
        </label>
        <label>
          Host
          <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="192.168.1.17 or gw-17.local" required spellCheck={false} />
        </label>
        <label>
          Port
          <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" required />
        </label>
        <label>
          User
          <input value={user} onChange={(e) => setUser(e.target.value)} required spellCheck={false} />
        </label>
        <label>
          Sign in with
          <select value={authKind} onChange={(e) => setAuthKind(e.target.value as AuthKind)}>
            {(Object.keys(AUTH_LABELS) as AuthKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {AUTH_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        {authKind === 'key' && (
          <label>
            Key file on this machine
            <input value={identityFile} onChange={(e) => setIdentityFile(e.target.value)} placeholder="~/.ssh/id_ed25519" required spellCheck={false} />
          </label>
        )}
        {authKind === 'key' && (
          <label className="checkbox">
            <input type="checkbox" checked={hasPassphrase} onChange={(e) => setHasPassphrase(e.target.checked)} />
            The key has a passphrase
          </label>
        )}
        <label>
          Jump host
          <select value={jump} onChange={(e) => setJump(e.target.value)}>
            <option value="">None (direct)</option>
            {profiles
              .filter((p) => p.id !== profile?.id)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          Site (optional)
          <input value={site} onChange={(e) => setSite(e.target.value)} placeholder="plant-3" />
        </label>
        <label>
          Device name in logs (optional)
          <input value={device} onChange={(e) => setDevice(e.target.value)} placeholder={name || 'the gateway name'} />
        </label>
      </div>
      <p className="muted form-note">
        Passwords and passphrases are asked for when you connect and are never written to disk in clear.
      </p>
      <div className="form-actions">
        <button className="button primary" type="submit" disabled={!valid}>
          {profile ? 'Save' : 'Save gateway'}
        </button>
        <button className="button" type="button" onClick={() => actions.show(profile ? { page: 'device', profileId: profile.id } : { page: 'list' })}>
          Cancel
        </button>
      </div>
    </form>
  );
}
