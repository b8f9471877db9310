import { useShell } from '../../app/store.js';
import { checklistIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function OnboardingSection() {
  const go = useShell((s) => s.go);
  return (
    <EmptyState
      icon={checklistIcon}
      title="Commission a gateway, step by step"
      steps={[
        <>Flash the OS image and boot the gateway.</>,
        <>Connect over serial or SSH and confirm it is healthy.</>,
        <>Join it to the site's K3s cluster and check its pods.</>,
        <>Check its sensor streams, then leave with the logs as evidence.</>,
      ]}
      actions={
        <button className="button primary" onClick={() => go('flash')}>
          Start with Flash
        </button>
      }
    >
      The usual path from a box on the bench to a gateway in the cluster.
    </EmptyState>
  );
}
