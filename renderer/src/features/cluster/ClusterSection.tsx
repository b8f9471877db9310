import { boxesIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function ClusterSection() {
  return (
    <EmptyState
      icon={boxesIcon}
      title="No cluster connected"
      steps={[
        <>Reach the K3s server over SSH, or use a kubeconfig already on this laptop.</>,
        <>Check nodes, pods, events and container logs; the last state seen stays readable offline.</>,
        <>Joining a new gateway? The join wizard runs the preflight checks first, then installs the agent.</>,
      ]}
    >
      Nodes and pods of the site's K3s cluster, and a guided join for new gateways.
    </EmptyState>
  );
}
