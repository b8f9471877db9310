import { useEffect, useMemo, useState } from 'react';
import { formatBytes } from '../../app/format.js';
import { useShell } from '../../app/store.js';
import { useClient } from '../../app/client-context.js';
import { currentContext, isReadOnly, useCluster } from './cluster-store.js';
import { ConnectionSelect, useReadyConnections } from './ConnectionSelect.js';
import { JoinRunView } from './JoinRun.js';
import { joinProblems, preflightProblems, type FormProblem } from './join-model.js';
import { joinActions, useJoin, WIZARD_STEPS, type JoinActions, type WizardStep } from './join-store.js';

function GatewayStep({ actions }: { actions: JoinActions }) {
  const form = useJoin((s) => s.form);
  const ready = useReadyConnections();
  return (
    <>
      <p>The new gateway, as an open SSH connection. FieldKit uploads K3s over it and runs the installer with sudo.</p>
      <ConnectionSelect label="Gateway SSH connection" value={form.gatewayConnectionId} onChange={(id) => actions.edit({ gatewayConnectionId: id })} />
      {ready.length === 0 && (
        <p className="muted">
          Open the gateway in <button className="link-button" onClick={() => useShell.getState().go('devices')}>Devices</button> and connect to it; it appears here.
        </p>
      )}
    </>
  );
}

function ServerStep({ actions }: { actions: JoinActions }) {
  const form = useJoin((s) => s.form);
  return (
    <>
      <label>
        Server URL, as the gateway reaches it
        <input value={form.server} onChange={(e) => actions.edit({ server: e.target.value })} placeholder="https://10.0.0.5:6443" aria-label="Server URL" spellCheck={false} />
      </label>
      <fieldset className="choice">
        <legend>Join token</legend>
        <label className="checkbox">
          <input type="radio" name="token" checked={form.tokenKind === 'pasted'} onChange={() => actions.edit({ tokenKind: 'pasted' })} /> Paste it
        </label>
        <label className="checkbox">
          <input type="radio" name="token" checked={form.tokenKind === 'server'} onChange={() => actions.edit({ tokenKind: 'server' })} /> Read it from the server over SSH
        </label>
        <label className="checkbox">
          <input type="radio" name="token" checked={form.tokenKind === 'server-ttl'} onChange={() => actions.edit({ tokenKind: 'server-ttl' })} /> Create a short-lived one on the server
        </label>
      </fieldset>
      {form.tokenKind === 'pasted' ? (
        <label>
          Token (K10…::server:…; kept only for this join, never shown or logged)
          <input type="password" value={form.token} onChange={(e) => actions.edit({ token: e.target.value })} autoComplete="off" aria-label="Join token" spellCheck={false} />
        </label>
      ) : (
        <div className="form-row">
          <ConnectionSelect label="K3s server connection" value={form.tokenConnectionId} onChange={(id) => actions.edit({ tokenConnectionId: id })} />
          {form.tokenKind === 'server-ttl' && (
            <label>
              Lifetime
              <input value={form.ttl} onChange={(e) => actions.edit({ ttl: e.target.value })} aria-label="Token lifetime" size={6} />
            </label>
          )}
        </div>
      )}
      <p className="muted form-note">The server's CA hash in a K10 token is checked against the server before the token is sent.</p>
    </>
  );
}

function InstallStep({ actions }: { actions: JoinActions }) {
  const form = useJoin((s) => s.form);
  const bundles = useJoin((s) => s.bundles);
  const progress = useJoin((s) => s.bundleImport);
  const [dir, setDir] = useState('');
  useEffect(() => void actions.loadBundles(), [actions]);
  const importing = progress && !progress.done && !progress.error;
  return (
    <>
      <fieldset className="choice">
        <legend>Install from</legend>
        <label className="checkbox">
          <input type="radio" name="mode" checked={form.mode === 'airgap'} onChange={() => actions.edit({ mode: 'airgap' })} /> An imported air-gap bundle (no internet needed)
        </label>
        <label className="checkbox">
          <input type="radio" name="mode" checked={form.mode === 'online'} onChange={() => actions.edit({ mode: 'online' })} /> Online (the gateway downloads the install script)
        </label>
      </fieldset>
      {form.mode === 'airgap' && (
        <>
          <label>
            Bundle
            <select value={form.bundle} onChange={(e) => actions.edit({ bundle: e.target.value })} aria-label="Bundle">
              <option value="">The one matching the gateway's architecture</option>
              {bundles.map((b) => (
                <option key={`${b.version}/${b.arch}`} value={`${b.version}/${b.arch}`}>
                  {b.version} · {b.arch} · {formatBytes(b.bytes)}
                </option>
              ))}
            </select>
          </label>
          {bundles.length === 0 && <p className="muted">No bundle imported yet.</p>}
          <form
            className="cluster-inline-form"
            aria-label="Import bundle"
            onSubmit={(e) => {
              e.preventDefault();
              if (dir.trim()) actions.importBundle(dir.trim());
            }}
          >
            <label>
              K3s release folder on this machine (k3s binary, images, install.sh, sha256sum file)
              <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/media/usb/k3s-v1.31.4+k3s1" aria-label="Bundle folder" spellCheck={false} />
            </label>
            <button className="button" type="submit" disabled={!dir.trim() || !!importing}>
              {importing ? 'Importing…' : 'Import'}
            </button>
          </form>
          {progress && (
            <div className="bundle-import" role="status">
              {progress.error ? (
                <span className="bad-text">{progress.error}</span>
              ) : progress.done ? (
                <span className="ok-text">
                  Imported and verified {progress.done.version} for {progress.done.arch} ({formatBytes(progress.done.bytes)}).
                </span>
              ) : (
                <>
                  <span>
                    Checking {progress.file || '…'} · {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}
                  </span>
                  <progress max={progress.bytesTotal || 1} value={progress.bytesDone} />
                </>
              )}
            </div>
          )}
        </>
      )}
    </>
  );
}

function NodeStep({ actions }: { actions: JoinActions }) {
  const form = useJoin((s) => s.form);
  return (
    <>
      <div className="form-row">
        <label>
          Node name (empty: the gateway's hostname)
          <input value={form.nodeName} onChange={(e) => actions.edit({ nodeName: e.target.value })} aria-label="Node name" spellCheck={false} />
        </label>
        <label>
          Node IP (empty: automatic)
          <input value={form.nodeIp} onChange={(e) => actions.edit({ nodeIp: e.target.value })} aria-label="Node IP" spellCheck={false} />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={form.withNodeId} onChange={(e) => actions.edit({ withNodeId: e.target.checked })} /> Append a unique id to the node name
        (<code>--with-node-id</code>)
      </label>
      <div className="form-row">
        <label>
          Labels, one per line (key=value)
          <textarea rows={3} value={form.labels} onChange={(e) => actions.edit({ labels: e.target.value })} aria-label="Labels" placeholder="site=plant-3" spellCheck={false} />
        </label>
        <label>
          Taints, one per line (key=value:Effect)
          <textarea rows={3} value={form.taints} onChange={(e) => actions.edit({ taints: e.target.value })} aria-label="Taints" placeholder="edge=true:NoSchedule" spellCheck={false} />
        </label>
      </div>
    </>
  );
}

function Problems({ problems, actions }: { problems: FormProblem[]; actions: JoinActions }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problems" aria-label="Still missing">
      {problems.map((p) => (
        <li key={p.message}>
          <button className="link-button" onClick={() => actions.go(p.part)}>
            {p.message}
          </button>
        </li>
      ))}
    </ul>
  );
}

function PreflightStep({ actions, contextId }: { actions: JoinActions; contextId: string }) {
  const preflight = useJoin((s) => s.preflight);
  const running = useJoin((s) => s.preflighting);
  const form = useJoin((s) => s.form);
  const problems = useMemo(() => preflightProblems(form), [form]);
  return (
    <>
      <p>Checks the gateway against the server without changing anything.</p>
      <Problems problems={problems} actions={actions} />
      <div>
        <button className="button primary" disabled={running || problems.length > 0} onClick={() => void actions.runPreflight(contextId)}>
          {running ? 'Checking…' : preflight ? 'Check again' : 'Run the preflight checks'}
        </button>
      </div>
      {preflight && (
        <>
          <p className="muted">
            Gateway: {preflight.hostname ?? 'hostname unknown'} · {preflight.arch ?? 'architecture unknown'}
          </p>
          <ul className="checks" aria-label="Preflight checks">
            {preflight.checks.map((c) => (
              <li key={c.id} className={`check check-${c.status}`} data-check={c.id}>
                <span className="check-status">{c.status === 'ok' ? '✓' : c.status === 'warn' ? '!' : '✕'}</span>
                <div>
                  <div>
                    <b>{c.label}</b> <span className="muted">{c.detail}</span>
                  </div>
                  {c.fix && <div className="check-fix">Fix: {c.fix}</div>}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Parts of the plan already passed with nothing left to fix in them. */
const complete = (step: WizardStep, passed: boolean, problems: FormProblem[]) => passed && step !== 'preflight' && step !== 'join' && !problems.some((p) => p.part === step);

/** The guided join: each part of the plan, the preflight, then the run with its steps, journal and diagnoses. */
export function JoinWizard() {
  const client = useClient();
  const actions = useMemo(() => joinActions(client), [client]);
  const step = useJoin((s) => s.step);
  const form = useJoin((s) => s.form);
  const run = useJoin((s) => s.run);
  const error = useJoin((s) => s.error);
  const context = useCluster(currentContext);
  const readOnly = useCluster(isReadOnly);
  const problems = useMemo(() => joinProblems(form), [form]);
  const index = WIZARD_STEPS.findIndex((s) => s.id === step);

  useEffect(() => {
    if (context && !useJoin.getState().form.server) actions.edit({ server: context.server });
  }, [context, actions]);

  if (!context) return null;
  const next = WIZARD_STEPS[index + 1];
  const previous = WIZARD_STEPS[index - 1];
  return (
    <div className="join-wizard">
      <nav className="wizard-steps" aria-label="Join wizard">
        <ol>
          {WIZARD_STEPS.map((s, i) => (
            <li key={s.id}>
              <button className={`wizard-step${s.id === step ? ' active' : ''}${complete(s.id, i < index, problems) ? ' complete' : ''}`} aria-current={s.id === step ? 'step' : undefined} onClick={() => actions.go(s.id)}>
                <span className="wizard-index">{i + 1}</span>
                {s.label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section className="wizard-panel" aria-label={WIZARD_STEPS[index].label}>
        <h2>{WIZARD_STEPS[index].label}</h2>
        {error && (
          <div className="banner error cluster-inline-banner" role="alert">
            {error}
          </div>
        )}
        {step === 'gateway' && <GatewayStep actions={actions} />}
        {step === 'server' && <ServerStep actions={actions} />}
        {step === 'install' && <InstallStep actions={actions} />}
        {step === 'node' && <NodeStep actions={actions} />}
        {step === 'preflight' && <PreflightStep actions={actions} contextId={context.contextId} />}
        {step === 'join' &&
          (run ? (
            <JoinRunView actions={actions} contextId={context.contextId} />
          ) : (
            <>
              <p>
                Joins the gateway to <b>{context.name}</b> ({form.server || 'no server yet'}), {form.mode === 'airgap' ? 'from an air-gap bundle' : 'online'}, and waits until its node is Ready.
              </p>
              <Problems problems={problems} actions={actions} />
              {readOnly && <p className="bad-text">The cluster is not live: the join waits for the node to turn Ready through its API.</p>}
              <div className="form-actions">
                <button className="button primary" disabled={problems.length > 0 || readOnly} onClick={() => actions.join(context.contextId)}>
                  Join the gateway
                </button>
              </div>
            </>
          ))}
        {step !== 'join' && (
          <div className="form-actions wizard-nav">
            {previous && (
              <button className="button" onClick={() => actions.go(previous.id)}>
                Back
              </button>
            )}
            {next && (
              <button className="button primary" onClick={() => actions.go(next.id)}>
                Next: {next.label}
              </button>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
