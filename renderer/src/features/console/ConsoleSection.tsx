import { useEffect, useMemo, type KeyboardEvent } from 'react';
import { useClient } from '../../app/client-context.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { usbIcon } from '../../ui/icons.js';
import { consoleActions, NEW_TAB, setDraft, updateTab, useConsole } from './console-store.js';
import { PortPicker } from './PortPicker.js';
import { SessionView } from './SessionView.js';
import { SettingsDrawer } from './SettingsDrawer.js';
import './console.css';

/** Serial consoles in tabs; sessions live in the backend and keep capturing when a tab or this section is closed. */
export function ConsoleSection() {
  const client = useClient();
  const actions = useMemo(() => consoleActions(client), [client]);
  const tabs = useConsole((s) => s.tabs);
  const active = useConsole((s) => s.active);
  const drawerOpen = useConsole((s) => s.drawerOpen);
  const draft = useConsole((s) => s.draft);
  const draftView = useConsole((s) => s.draftView);
  const activeTab = tabs.find((t) => t.id === active);
  const select = (id: string) => useConsole.setState({ active: id });
  const setDrawer = (open: boolean) => useConsole.setState({ drawerOpen: open });

  useEffect(() => {
    void actions.restore();
    return actions.watchPorts();
  }, [actions]);

  const ids = [...tabs.map((t) => t.id), NEW_TAB];
  const onTabKey = (event: KeyboardEvent) => {
    const at = ids.indexOf(active);
    const next = event.key === 'ArrowRight' ? ids[(at + 1) % ids.length] : event.key === 'ArrowLeft' ? ids[(at - 1 + ids.length) % ids.length] : null;
    if (!next) return;
    event.preventDefault();
    select(next);
    document.getElementById(`console-tab-${next}`)?.focus();
  };

  return (
    <div className="console">
      <div className="console-tabs" role="tablist" aria-label="Consoles" onKeyDown={onTabKey}>
        {tabs.map((tab) => (
          <div key={tab.id} className={`console-tab${tab.id === active ? ' active' : ''}`}>
            <button
              role="tab"
              id={`console-tab-${tab.id}`}
              aria-selected={tab.id === active}
              aria-controls={`console-panel-${tab.id}`}
              tabIndex={tab.id === active ? 0 : -1}
              onClick={() => select(tab.id)}
            >
              <span className={`console-dot console-state-${tab.status.state}`} aria-hidden />
              {tab.status.path.split('/').pop()}
              {tab.status.transferring && ' ⇪'}
            </button>
            <button className="console-tab-close" aria-label={`Close console ${tab.status.path}`} title="Close (capture is kept)" onClick={() => void actions.close(tab.id)}>
              ×
            </button>
          </div>
        ))}
        <div className={`console-tab${active === NEW_TAB ? ' active' : ''}`}>
          <button role="tab" id={`console-tab-${NEW_TAB}`} aria-selected={active === NEW_TAB} tabIndex={active === NEW_TAB ? 0 : -1} onClick={() => select(NEW_TAB)} aria-label="New console">
            + New
          </button>
        </div>
      </div>
      <div className="console-body">
        <div className="console-main">
          {active === NEW_TAB && (
            <EmptyState
              icon={usbIcon}
              title="Open a serial console"
              steps={[
                <>Plug the gateway's USB-serial adapter into this laptop (FTDI, CP210x, CH340, PL2303 or a CDC-ACM device); it appears below.</>,
                <>Pick the port. 115200 8N1 suits most gateways; Settings… has other rates, Custom… and Auto-detect.</>,
                <>Every byte received is captured into the local log index, even after you close the tab.</>,
              ]}
              actions={<PortPicker onOpen={(path) => void actions.open(path)} onSettings={() => setDrawer(true)} />}
            >
              A serial console talks to the gateway's bootloader and shell before it has a network.
            </EmptyState>
          )}
          {tabs.map((tab) => (
            <SessionView key={tab.id} tab={tab} visible={tab.id === active} actions={actions} onSettings={() => setDrawer(true)} />
          ))}
        </div>
        {drawerOpen &&
          (activeTab ? (
            <SettingsDrawer
              key={activeTab.id}
              title={`Settings: ${activeTab.status.path}`}
              settings={activeTab.status.settings}
              view={activeTab.view}
              onSettings={({ autoBaud: _ignored, ...change }) => void actions.configure(activeTab.id, change)}
              onView={(change) => updateTab(activeTab.id, { view: { ...activeTab.view, ...change } })}
              onDetect={() => void actions.detectBaud(activeTab.id)}
              onClose={() => setDrawer(false)}
            />
          ) : (
            <SettingsDrawer
              key={NEW_TAB}
              title="Settings for the next console"
              settings={draft}
              view={draftView}
              autoBaud={draft.autoBaud}
              onSettings={(change) => setDraft(change)}
              onView={(change) => setDraft({}, change)}
              onClose={() => setDrawer(false)}
            />
          ))}
      </div>
    </div>
  );
}
