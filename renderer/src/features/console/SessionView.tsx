import { useState } from 'react';
import { formatBytes } from '../../app/format.js';
import type { ConsoleActions, ConsoleTab } from './console-store.js';
import { updateTab } from './console-store.js';
import { ExportPanel } from './ExportPanel.js';
import { isMultiLine, pastedToWire } from './terminal-format.js';
import { Terminal, terminalOf } from './Terminal.js';
import { TransferPanel } from './TransferPanel.js';

type Panel = 'send' | 'export' | null;

const STATE_LABELS = { open: 'Connected', reconnecting: 'Adapter gone, waiting for it to come back…', closed: 'Closed' } as const;

function settingsSummary({ settings }: ConsoleTab['status']): string {
  const flow = settings.rtscts ? ' RTS/CTS' : settings.xonxoff ? ' XON/XOFF' : '';
  return `${settings.baudRate} ${settings.dataBits}${settings.parity[0]!.toUpperCase()}${settings.stopBits}${flow}`;
}

/** One console tab: toolbar (signals, BREAK, copy/paste, files), the terminal, and the status line. */
export function SessionView({ tab, visible, actions, onSettings }: { tab: ConsoleTab; visible: boolean; actions: ConsoleActions; onSettings(): void }) {
  const [panel, setPanel] = useState<Panel>(null);
  const { status } = tab;
  const toggle = (p: Panel) => setPanel((current) => (current === p ? null : p));
  const paste = async () => {
    const text = await navigator.clipboard.readText().catch(() => '');
    if (!text) return updateTab(tab.id, { error: 'Nothing to paste, or the clipboard is not readable here: use Ctrl+Shift+V in the terminal.' });
    if (isMultiLine(text)) updateTab(tab.id, { pendingPaste: text });
    else terminalOf(tab.id)?.send(text);
  };
  const confirmPaste = () => {
    if (tab.pendingPaste) terminalOf(tab.id)?.send(pastedToWire(tab.pendingPaste, status.settings.lineEnding));
    updateTab(tab.id, { pendingPaste: null });
    terminalOf(tab.id)?.term.focus();
  };
  const cancelPaste = () => {
    updateTab(tab.id, { pendingPaste: null });
    terminalOf(tab.id)?.term.focus();
  };
  const pasteLines = tab.pendingPaste?.split(/\r\n|\r|\n/).length ?? 0;

  return (
    <div className="console-session" hidden={!visible} role="tabpanel" id={`console-panel-${tab.id}`} aria-label={`Console ${status.name} ${status.path}`}>
      <div className="console-toolbar" role="toolbar" aria-label="Console controls">
        <button className="button" onClick={onSettings} aria-label={`Settings: ${settingsSummary(status)}`}>
          {settingsSummary(status)}
        </button>
        <button className={`button${status.signals.dtr ? ' active' : ''}`} aria-pressed={status.signals.dtr} onClick={() => void actions.setSignals(tab.id, { dtr: !status.signals.dtr })}>
          DTR
        </button>
        <button className={`button${status.signals.rts ? ' active' : ''}`} aria-pressed={status.signals.rts} onClick={() => void actions.setSignals(tab.id, { rts: !status.signals.rts })}>
          RTS
        </button>
        <button className="button" onClick={() => void actions.sendBreak(tab.id)} disabled={status.transferring}>
          Send BREAK
        </button>
        <span className="status-spacer" />
        <button className="button" onClick={() => void navigator.clipboard.writeText(terminalOf(tab.id)?.term.getSelection() ?? '')} title="Ctrl+Shift+C in the terminal">
          Copy
        </button>
        <button className="button" onClick={() => void paste()} title="Ctrl+Shift+V in the terminal" disabled={status.transferring}>
          Paste
        </button>
        <button className={`button${panel === 'send' ? ' active' : ''}`} aria-expanded={panel === 'send'} onClick={() => toggle('send')}>
          Send file…
        </button>
        <button className={`button${panel === 'export' ? ' active' : ''}`} aria-expanded={panel === 'export'} onClick={() => toggle('export')}>
          Export…
        </button>
      </div>
      {(panel === 'send' || tab.transfer?.cancel) && <TransferPanel tab={tab} onSend={(protocol, path) => actions.sendFile(tab.id, protocol, path)} />}
      {panel === 'export' && <ExportPanel onExport={(format, path) => void actions.exportCapture(tab.id, format, path)} />}
      {tab.error && (
        <div className="banner error console-banner" role="alert">
          {tab.error}
          <button className="link-button" onClick={() => updateTab(tab.id, { error: null })}>
            Dismiss
          </button>
        </div>
      )}
      {tab.pendingPaste !== null && (
        <div className="console-confirm" role="alertdialog" aria-label="Confirm multi-line paste" onKeyDown={(e) => e.key === 'Escape' && cancelPaste()}>
          <p>
            Paste {pasteLines} lines into the device? Each line is sent as if typed and run.
          </p>
          <pre>{tab.pendingPaste.slice(0, 2000)}</pre>
          <div className="console-panel-row">
            <button className="button primary" onClick={confirmPaste} autoFocus>
              Paste {pasteLines} lines
            </button>
            <button className="button" onClick={cancelPaste}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <Terminal sessionId={tab.id} visible={visible} />
      <div className="console-status" role="status" aria-label="Session status" data-testid="console-status">
        <span className={`console-state console-state-${status.state}`}>{STATE_LABELS[status.state]}</span>
        <span>
          In {formatBytes(status.bytesIn)} · {formatBytes(status.rateIn)}/s
        </span>
        <span>Out {formatBytes(status.bytesOut)}</span>
        <span>Reconnects {status.reconnects}</span>
        {tab.notice && <span className="muted">{tab.notice}</span>}
        {status.lastError && status.state !== 'open' && <span className="console-error">{status.lastError}</span>}
        <span className="status-spacer" />
        <span className="muted" title={status.capturePath}>
          Captured to the log index as device {status.device}
        </span>
      </div>
    </div>
  );
}
