import { useState } from 'react';
import { STANDARD_BAUD_RATES } from '../../../../shared/serial/baud-detect.js';
import type { SerialLineSettings } from '../../../../shared/contract/index.js';
import { LINE_ENDING_MODES, PARITIES } from '../../../../shared/contract/serial-options.js';
import type { ViewPrefs } from './console-store.js';

const LINE_ENDING_LABELS: Record<SerialLineSettings['lineEnding'], string> = { cr: 'CR (\\r)', lf: 'LF (\\n)', crlf: 'CR LF (\\r\\n)' };
const AUTO = 'auto';
const CUSTOM = 'custom';

export interface SettingsDrawerProps {
  title: string;
  settings: SerialLineSettings;
  view: ViewPrefs;
  /** For a console not yet open: detect the rate right after opening. */
  autoBaud?: boolean;
  onSettings(change: Partial<SerialLineSettings> & { autoBaud?: boolean }): void;
  onView(change: Partial<ViewPrefs>): void;
  /** For an open console: try the rates now. */
  onDetect?: () => void;
  onClose(): void;
}

/** Line settings (baud incl. custom and auto-detect, framing, flow control, line ending) and how the terminal shows bytes. */
export function SettingsDrawer({ title, settings, view, autoBaud, onSettings, onView, onDetect, onClose }: SettingsDrawerProps) {
  const standard = (STANDARD_BAUD_RATES as readonly number[]).includes(settings.baudRate);
  const [custom, setCustom] = useState(!standard);
  const [customRate, setCustomRate] = useState(String(settings.baudRate));
  const baudChoice = autoBaud ? AUTO : custom || !standard ? CUSTOM : String(settings.baudRate);
  const customValid = /^\d+$/.test(customRate) && Number(customRate) > 0 && Number(customRate) <= 20_000_000;

  const pickBaud = (value: string) => {
    if (value === AUTO) return onSettings({ autoBaud: true });
    if (value === CUSTOM) return setCustom(true);
    setCustom(false);
    onSettings({ baudRate: Number(value), ...(autoBaud !== undefined && { autoBaud: false }) });
  };
  const flow = settings.rtscts ? 'rtscts' : settings.xonxoff ? 'xonxoff' : 'none';

  return (
    <aside className="console-drawer" aria-label="Console settings" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="console-drawer-head">
        <h2>{title}</h2>
        <button className="button" onClick={onClose} aria-label="Close settings">
          Close
        </button>
      </div>
      <label>
        Baud rate
        <select value={baudChoice} onChange={(e) => pickBaud(e.target.value)} aria-label="Baud rate" autoFocus>
          {autoBaud !== undefined && <option value={AUTO}>Auto-detect</option>}
          {STANDARD_BAUD_RATES.map((rate) => (
            <option key={rate} value={rate}>
              {rate}
            </option>
          ))}
          <option value={CUSTOM}>Custom…</option>
        </select>
      </label>
      {baudChoice === CUSTOM && (
        <form
          className="console-custom-baud"
          onSubmit={(e) => {
            e.preventDefault();
            if (customValid) onSettings({ baudRate: Number(customRate), ...(autoBaud !== undefined && { autoBaud: false }) });
          }}
        >
          <input value={customRate} onChange={(e) => setCustomRate(e.target.value)} inputMode="numeric" aria-label="Custom baud rate" aria-invalid={!customValid} />
          <button className="button" disabled={!customValid}>
            Set
          </button>
        </form>
      )}
      {onDetect && (
        <button className="button" onClick={onDetect}>
          Auto-detect baud rate
        </button>
      )}
      <div className="console-drawer-row">
        <label>
          Data bits
          <select value={settings.dataBits} onChange={(e) => onSettings({ dataBits: Number(e.target.value) as SerialLineSettings['dataBits'] })}>
            {[8, 7, 6, 5].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label>
          Parity
          <select value={settings.parity} onChange={(e) => onSettings({ parity: e.target.value as SerialLineSettings['parity'] })}>
            {PARITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Stop bits
          <select value={settings.stopBits} onChange={(e) => onSettings({ stopBits: Number(e.target.value) as SerialLineSettings['stopBits'] })}>
            {[1, 1.5, 2].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Flow control
        <select value={flow} onChange={(e) => onSettings({ rtscts: e.target.value === 'rtscts', xonxoff: e.target.value === 'xonxoff' })}>
          <option value="none">None</option>
          <option value="rtscts">Hardware (RTS/CTS)</option>
          <option value="xonxoff">Software (XON/XOFF)</option>
        </select>
      </label>
      <label>
        Enter sends
        <select value={settings.lineEnding} onChange={(e) => onSettings({ lineEnding: e.target.value as SerialLineSettings['lineEnding'] })}>
          {LINE_ENDING_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {LINE_ENDING_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>View</legend>
        <label className="console-check">
          <input type="checkbox" checked={view.localEcho} onChange={(e) => onView({ localEcho: e.target.checked })} /> Local echo
        </label>
        <label className="console-check">
          <input type="checkbox" checked={view.hex} onChange={(e) => onView({ hex: e.target.checked })} /> Hex view
        </label>
        <label className="console-check">
          <input type="checkbox" checked={view.timestamps} onChange={(e) => onView({ timestamps: e.target.checked })} /> Timestamp each line
        </label>
      </fieldset>
    </aside>
  );
}
