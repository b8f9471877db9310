import { useState } from 'react';
import { LEAVE_STEPS } from '../../../../shared/contract/cluster.js';
import { isReadOnly, useCluster, type ClusterActions } from './cluster-store.js';
import { ConnectionSelect, useReadyConnections } from './ConnectionSelect.js';
import { StepList } from './StepList.js';

const LABELS = { drain: 'Drain the node (evict its pods)', delete: 'Delete the node from the cluster', uninstall: 'Run k3s-agent-uninstall.sh on the gateway' };

/** Takes a gateway out of the cluster: drain, delete the node, uninstall the agent over SSH. */
export function LeavePanel({ nodeName, actions }: { nodeName: string; actions: ClusterActions }) {
  const readOnly = useCluster(isReadOnly);
  const run = useCluster((s) => s.leaves[nodeName]);
  const [gateway, setGateway] = useState('');

  const ready = useReadyConnections();
  const chosen = gateway || ready.find((c) => c.name === nodeName)?.connectionId || '';
  const leave = () => {
    if (window.confirm(`Drain ${nodeName}, delete it from the cluster and uninstall the K3s agent from the gateway?`)) actions.leave(nodeName, chosen);
  };

  return (
    <div className="leave-panel">
      <p>
        Take <b>{nodeName}</b> out of the cluster. The agent is uninstalled over the gateway's SSH connection (open it in Devices first).
      </p>
      <div className="cluster-inline-form">
        <ConnectionSelect label="Gateway SSH connection" value={chosen} onChange={setGateway} />
        <button className="button danger" disabled={readOnly || !chosen || run?.running || run?.done} onClick={leave}>
          {run?.running ? 'Leaving…' : 'Leave the cluster'}
        </button>
      </div>
      {run && <StepList label="Leave steps" steps={LEAVE_STEPS.map((id) => ({ id, label: LABELS[id], ...run.steps[id] }))} />}
      {run?.done && (
        <p className="ok-text" role="status">
          {nodeName} has left the cluster.
        </p>
      )}
      {run?.error && (
        <div className="banner error cluster-inline-banner" role="alert">
          {run.error}
        </div>
      )}
    </div>
  );
}
