import { useEffect, useMemo } from 'react';
import { useClient } from '../../app/client-context.js';
import { useShell } from '../../app/store.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { routerIcon } from '../../ui/icons.js';
import { DevicePage } from './DevicePage.js';
import { devicesActions, useDevices } from './devices-store.js';
import { GatewayForm } from './GatewayForm.js';
import { GatewayList } from './GatewayList.js';
import { ChangedKeyDialog, HostKeyDialog } from './HostKeyDialogs.js';
import './devices.css';

export function DevicesSection() {
  const client = useClient();
  const actions = useMemo(() => devicesActions(client), [client]);
  const go = useShell((s) => s.go);
  const profiles = useDevices((s) => s.profiles);
  const view = useDevices((s) => s.view);
  const error = useDevices((s) => s.error);
  const notice = useDevices((s) => s.notice);

  useEffect(() => {
    const stop = actions.watch();
    void actions.load().then(() => actions.checkReachability());
    return stop;
  }, [actions]);

  const banners = (
    <>
      {error && (
        <div className="banner error devices-banner" role="alert">
          {error}
        </div>
      )}
      {notice && (
        <div className="devices-notice" role="status">
          {notice}
        </div>
      )}
    </>
  );

  let page;
  if (profiles === null) page = <p className="muted">Loading saved gateways…</p>;
  else if (view.page === 'add') page = <GatewayForm actions={actions} />;
  else if (view.page === 'edit') page = <GatewayForm actions={actions} profile={profiles.find((p) => p.id === view.profileId)} />;
  else if (view.page === 'device' && profiles.some((p) => p.id === view.profileId)) page = <DevicePage actions={actions} profileId={view.profileId} />;
  else if (profiles.length === 0)
    page = (
      <EmptyState
        icon={routerIcon}
        title="No gateways yet"
        steps={[
          <>Gateway already on the network? Add it with its address and user; FieldKit checks its host key before any password is sent.</>,
          <>Already use OpenSSH on this laptop? Import the hosts of <code>~/.ssh/config</code>, jump hosts included.</>,
          <>Cable to a new or dead gateway? Plug in the USB-serial adapter and open the <b>Console</b>.</>,
        ]}
        actions={
          <>
            <button className="button primary" onClick={() => actions.show({ page: 'add' })}>
              Add gateway
            </button>
            <button className="button" onClick={() => void actions.importConfig()}>
              Import ~/.ssh/config
            </button>
            <button className="button" onClick={() => go('console')}>
              Open the Console
            </button>
          </>
        }
      >
        Gateways you reach over SSH are listed here with their reachability: open one for a terminal, its files and its logs.
      </EmptyState>
    );
  else page = <GatewayList actions={actions} />;

  return (
    <div className="devices">
      {banners}
      {page}
      <HostKeyDialog actions={actions} />
      <ChangedKeyDialog actions={actions} />
    </div>
  );
}
