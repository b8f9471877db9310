import { useShell } from '../../app/store.js';
import { routerIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';

export function DevicesSection() {
  const go = useShell((s) => s.go);
  return (
    <EmptyState
      icon={routerIcon}
      title="No gateways yet"
      steps={[
        <>Cable to a new or dead gateway? Plug in the USB-serial adapter and open the <b>Console</b>.</>,
        <>Gateway already on the network? Add it over SSH with its address and user; FieldKit checks its host key before any password is sent.</>,
        <>Everything you connect to is remembered here with its last-seen time, so you can find it again offline.</>,
      ]}
      actions={
        <button className="button primary" onClick={() => go('console')}>
          Open the Console
        </button>
      }
    >
      Gateways you connect to over serial, SSH or the local network are listed here with their reachability.
    </EmptyState>
  );
}
