import { JOIN_STEPS } from '../../../../shared/contract/cluster.js';
import { describeTransfer } from '../devices/format.js';
import { useCluster } from './cluster-store.js';
import { useState } from 'react';
import { recoveryNodeName, type JoinStep } from './join-model.js';
import { useJoin, type JoinActions } from './join-store.js';
import { StepList } from './StepList.js';

const RUN_LABELS: Record<JoinStep, string> = {
  preflight: 'Preflight checks',
  token: 'Token and server CA check',
  upload: 'Upload K3s (binary, images, installer)',
  config: 'Write /etc/rancher/k3s/config.yaml',
  install: 'Run the installer',
  start: 'Start k3s-agent',
  ready: 'Node Ready in the cluster',
};

/** A running or finished join: its steps, upload progress, findings, diagnoses with their remedy, and the agent's journal. */
export function JoinRunView({ actions, contextId }: { actions: JoinActions; contextId: string }) {
  const run = useJoin((s) => s.run)!;
  const recovering = useJoin((s) => s.recovering);
  const form = useJoin((s) => s.form);
  const hostname = useJoin((s) => s.preflight?.hostname);
  const [typed, setTyped] = useState('');
  const nodeName = recoveryNodeName(run, form.nodeName, hostname) || typed;
  const askName = !recoveryNodeName(run, form.nodeName, hostname);
  const progress = run.progress;
  return (
    <div className="join-run">
      <StepList label="Join steps" steps={JOIN_STEPS.map((id) => ({ id, label: RUN_LABELS[id], ...run.steps[id] }))} />
      {progress && run.steps.upload.state === 'running' && (
        <div className="join-progress" role="status" aria-label="Upload progress">
          <span>{describeTransfer(progress)}</span>
          <progress max={progress.bytesTotal || 1} value={progress.bytesDone} />
        </div>
      )}
      {run.checks.some((c) => c.status !== 'ok') && (
        <ul className="checks" aria-label="Preflight findings">
          {run.checks
            .filter((c) => c.status !== 'ok')
            .map((c) => (
              <li key={c.id} className={`check check-${c.status}`}>
                <span className="check-status">{c.status === 'warn' ? '!' : '✕'}</span>
                <div>
                  <b>{c.label}</b> <span className="muted">{c.detail}</span>
                  {c.fix && <div className="check-fix">Fix: {c.fix}</div>}
                </div>
              </li>
            ))}
        </ul>
      )}
      {run.diagnoses.map((d) => (
        <div key={d.code} className="diagnosis" role="alert" data-diagnosis={d.code}>
          <h3>{d.title}</h3>
          <code className="diagnosis-evidence">{d.evidence}</code>
          <p>{d.fix}</p>
          {d.action === 'delete-node-password' && askName && (
            <label>
              Node name in the cluster
              <input value={typed} onChange={(e) => setTyped(e.target.value.trim())} aria-label="Node name to recover" spellCheck={false} />
            </label>
          )}
          {d.action === 'delete-node-password' && (
            <button className="button danger" disabled={recovering || !nodeName} onClick={() => void actions.recoverNodePassword(contextId, nodeName)}>
              {recovering ? 'Deleting…' : `Delete the old node ${nodeName} and its password`}
            </button>
          )}
        </div>
      ))}
      {run.joined && (
        <p className="join-done ok-text" role="status">
          {run.joined} joined the cluster and is Ready.
        </p>
      )}
      {run.error && (
        <div className="banner error cluster-inline-banner" role="alert">
          {run.error}
        </div>
      )}
      <div className="form-actions">
        {run.running ? (
          <button className="button" onClick={actions.cancel}>
            Cancel
          </button>
        ) : (
          <>
            {run.joined && (
              <button className="button primary" onClick={() => useCluster.setState({ view: 'nodes', selectedNode: run.joined, nodeQuery: '' })}>
                Show the node
              </button>
            )}
            <button className="button" onClick={() => actions.join(contextId)}>
              Run the join again
            </button>
            <button className="button" onClick={actions.reset}>
              Join another gateway
            </button>
          </>
        )}
      </div>
      <h3 className="journal-title">k3s-agent journal</h3>
      <pre className="journal" role="log" aria-label="k3s-agent journal" tabIndex={0}>
        {run.journal.length ? run.journal.join('\n') : 'No journal lines yet.'}
      </pre>
    </div>
  );
}
