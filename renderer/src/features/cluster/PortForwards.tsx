import { useState } from 'react';
import type { PodView } from '../../../../shared/contract/cluster.js';
import { podKey } from './cluster-model.js';
import { useCluster, type ClusterActions } from './cluster-store.js';

/** Forwards of this pod's ports to 127.0.0.1, running until stopped (closing the drawer keeps them). */
export function PortForwards({ pod, readOnly, actions }: { pod: PodView; readOnly: boolean; actions: ClusterActions }) {
  const key = podKey(pod);
  const forwards = useCluster((s) => s.forwards).filter((f) => f.pod === key);
  const [open, setOpen] = useState(false);
  const [remote, setRemote] = useState('');
  const [local, setLocal] = useState('');
  const valid = (text: string, min: number) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= 65535;

  return (
    <div className="port-forwards">
      {forwards.map((f) => (
        <div key={f.id} className="port-forward" data-testid="port-forward">
          {f.error ? (
            <span className="bad-text">
              Port {f.remotePort}: {f.error}
            </span>
          ) : f.localPort === null ? (
            <span>Opening a forward to port {f.remotePort}…</span>
          ) : (
            <span>
              <code>127.0.0.1:{f.localPort}</code> → port {f.remotePort} · {f.open} open {f.open === 1 ? 'connection' : 'connections'}
            </span>
          )}
          <button className="link-button" onClick={() => actions.stopForward(f.id)}>
            {f.error ? 'Dismiss' : 'Stop'}
          </button>
        </div>
      ))}
      {open ? (
        <form
          className="port-forward-form"
          aria-label="Port-forward"
          onSubmit={(e) => {
            e.preventDefault();
            actions.portForward(key, Number(remote), local ? Number(local) : 0);
            setOpen(false);
            setRemote('');
            setLocal('');
          }}
        >
          <label>
            Pod port
            <input value={remote} onChange={(e) => setRemote(e.target.value)} inputMode="numeric" placeholder="8080" aria-label="Pod port" autoFocus />
          </label>
          <label>
            Local port (empty: any free one)
            <input value={local} onChange={(e) => setLocal(e.target.value)} inputMode="numeric" placeholder="any" aria-label="Local port" />
          </label>
          <button className="button primary" type="submit" disabled={!valid(remote, 1) || (local !== '' && !valid(local, 1))}>
            Forward
          </button>
          <button className="button" type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button className="link-button" disabled={readOnly} onClick={() => setOpen(true)}>
          + Port-forward…
        </button>
      )}
    </div>
  );
}
