import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useDevices, type DevicesActions } from './devices-store.js';

function Modal({ title, tone, children, onEscape }: { title: string; tone: 'question' | 'danger'; children: ReactNode; onEscape(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [title]);
  return (
    <div className="modal-backdrop">
      <div
        ref={dialog}
        className={`modal ${tone}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="modal-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onEscape();
        }}
      >
        <h2 id="modal-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Trust on first use, after the technician compared the fingerprint. Rejecting is the safe default (Escape). */
export function HostKeyDialog({ actions }: { actions: DevicesActions }) {
  const prompt = useDevices((s) => s.prompts[0]);
  if (!prompt) return null;
  const answer = (choice: 'trust-once' | 'trust-always' | 'reject') => void actions.answer(prompt.promptId, choice);
  return (
    <Modal title="Unknown host key" tone="question" onEscape={() => answer('reject')}>
      <p>
        FieldKit has never seen the host key of <b className="mono">{prompt.host}:{prompt.port}</b>. Nothing has been sent yet. Compare the fingerprint
        with the one the gateway shows (<code>ssh-keygen -lf /etc/ssh/ssh_host_{prompt.keyType.replace(/^ssh-|-.*$/g, '')}_key.pub</code>) before trusting it.
      </p>
      <dl className="fingerprint">
        <dt>Key type</dt>
        <dd className="mono" data-testid="host-key-type">
          {prompt.keyType}
        </dd>
        <dt>Fingerprint</dt>
        <dd className="mono" data-testid="host-key-fingerprint">
          {prompt.fingerprint}
        </dd>
      </dl>
      {prompt.knownTypes.length > 0 && <p className="muted">Keys of other types are already trusted for this host: {prompt.knownTypes.join(', ')}.</p>}
      <div className="form-actions">
        <button className="button primary" onClick={() => answer('trust-always')}>
          Trust and remember
        </button>
        <button className="button" onClick={() => answer('trust-once')}>
          Trust once
        </button>
        <button className="button" data-autofocus onClick={() => answer('reject')}>
          Reject
        </button>
      </div>
    </Modal>
  );
}

/** A changed key is a hard stop: the only way on is a deliberate replacement, confirmed after checking the gateway. */
export function ChangedKeyDialog({ actions }: { actions: DevicesActions }) {
  const changed = useDevices((s) => s.changedKey);
  const [checked, setChecked] = useState(false);
  if (!changed) return null;
  const close = () => {
    setChecked(false);
    actions.dismissChangedKey();
  };
  return (
    <Modal title="Host key has changed: connection stopped" tone="danger" onEscape={close}>
      <p>
        <b className="mono">{changed.host}:{changed.port}</b> now presents a different key than the one stored. Someone could be intercepting the
        connection, or the gateway was reinstalled. Nothing was sent.
      </p>
      <dl className="fingerprint">
        <dt>Presented now</dt>
        <dd className="mono" data-testid="changed-key-fingerprint">
          {changed.keyType} {changed.fingerprint}
        </dd>
        {changed.expected.map((e) => (
          <div key={`${e.file}:${e.line}`}>
            <dt>Stored</dt>
            <dd className="mono">
              {e.keyType} {e.fingerprint} <span className="muted">({e.file} line {e.line})</span>
            </dd>
          </div>
        ))}
      </dl>
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I checked on the gateway itself that its key has this fingerprint
      </label>
      <div className="form-actions">
        <button className="button primary" data-autofocus onClick={close}>
          Don't connect
        </button>
        <button
          className="button danger"
          disabled={!checked}
          onClick={() => {
            setChecked(false);
            void actions.replaceKey();
          }}
        >
          Replace the stored key
        </button>
      </div>
    </Modal>
  );
}
