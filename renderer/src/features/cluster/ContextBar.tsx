import { useState, type ReactNode } from 'react';
import { useCluster, type ClusterActions } from './cluster-store.js';
import { formatInstant } from './cluster-model.js';
import { ConnectionSelect } from './ConnectionSelect.js';

type Adding = 'file' | 'server' | null;

/** A one-line form with Add and Cancel; closes itself once `submit` succeeded (the store holds any error). */
function InlineForm({ label, ready, submit, onDone, children }: { label: string; ready: boolean; submit(): Promise<void>; onDone(): void; children: ReactNode }) {
  const busy = useCluster((s) => s.busy);
  return (
    <form
      className="cluster-inline-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void submit().then(() => !useCluster.getState().error && onDone());
      }}
    >
      {children}
      <button className="button primary" type="submit" disabled={!ready || !!busy}>
        {busy || 'Add'}
      </button>
      <button className="button" type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** Adding contexts: a kubeconfig file on this laptop, or k3s.yaml fetched from a server over SSH. */
export function AddContextForms({ actions, adding, onDone }: { actions: ClusterActions; adding: Adding; onDone(): void }) {
  const [path, setPath] = useState('');
  const [connectionId, setConnectionId] = useState('');
  const [name, setName] = useState('');
  const [port, setPort] = useState('6443');
  const validPort = /^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
  if (adding === 'file')
    return (
      <InlineForm label="Add kubeconfig" ready={!!path.trim()} submit={() => actions.addFile(path.trim())} onDone={onDone}>
        <label>
          Kubeconfig file on this machine
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="~/.kube/config" aria-label="Kubeconfig file" spellCheck={false} autoFocus />
        </label>
      </InlineForm>
    );
  if (adding === 'server')
    return (
      <InlineForm label="Add K3s server" ready={!!connectionId && validPort} submit={() => actions.addFromServer(connectionId, Number(port), name.trim() || undefined)} onDone={onDone}>
        <ConnectionSelect label="K3s server connection" caption="K3s server (open SSH connection)" value={connectionId} onChange={setConnectionId} />
        <label>
          API port on the server
          <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" size={6} aria-label="API port on the server" />
        </label>
        <label>
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="site cluster" aria-label="Context name" />
        </label>
      </InlineForm>
    );
  return null;
}

const LINK_TEXT = { connecting: 'Connecting…', live: 'Live', offline: 'Offline' } as const;

export function ContextBar({ actions }: { actions: ClusterActions }) {
  const contexts = useCluster((s) => s.contexts) ?? [];
  const contextId = useCluster((s) => s.contextId);
  const link = useCluster((s) => s.link);
  const forwards = useCluster((s) => s.forwards.filter((f) => f.localPort !== null).length);
  const [adding, setAdding] = useState<Adding>(null);
  const context = contexts.find((c) => c.contextId === contextId);

  return (
    <>
      <div className="context-bar">
        <label className="context-picker">
          <span className="sr-only">Cluster context</span>
          <select value={contextId ?? ''} onChange={(e) => actions.select(e.target.value || null)} aria-label="Cluster context">
            {contexts.map((c) => (
              <option key={c.contextId} value={c.contextId}>
                {c.name} · {c.source === 'ssh' ? 'over SSH' : c.file}
              </option>
            ))}
          </select>
        </label>
        {context && (
          <span className="mono muted context-server" title={`cluster ${context.cluster}, user ${context.user}`}>
            {context.server}
          </span>
        )}
        <span className={`link-badge link-${link.state}`} data-testid="cluster-link" title={link.message}>
          {LINK_TEXT[link.state]}
        </span>
        {forwards > 0 && <span className="muted">{forwards} port-forward{forwards === 1 ? '' : 's'}</span>}
        <span className="status-spacer" />
        <button className="button" onClick={() => setAdding(adding === 'file' ? null : 'file')} aria-expanded={adding === 'file'}>
          Add kubeconfig…
        </button>
        <button className="button" onClick={() => setAdding(adding === 'server' ? null : 'server')} aria-expanded={adding === 'server'}>
          Add K3s server over SSH…
        </button>
        {context && (
          <button
            className="button"
            title={context.snapshotAt ? `Also forgets the snapshot of ${formatInstant(context.snapshotAt)}` : undefined}
            onClick={() => window.confirm(`Forget ${context.name} and its offline snapshot?`) && void actions.removeContext(context.contextId)}
          >
            Forget
          </button>
        )}
      </div>
      <AddContextForms actions={actions} adding={adding} onDone={() => setAdding(null)} />
    </>
  );
}
