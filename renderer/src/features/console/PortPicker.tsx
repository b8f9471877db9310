import { useState } from 'react';
import type { PortInfo } from '../../../../shared/contract/index.js';
import { useConsole } from './console-store.js';

const usbIds = (p: PortInfo) => (p.vendorId && p.productId ? `${p.vendorId}:${p.productId}`.toUpperCase() : null);

/** Ports the system lists (friendly name, USB ids, maker, serial number), or any path typed in (pty, by-id link). */
export function PortPicker({ onOpen, onSettings }: { onOpen(path: string): void; onSettings(): void }) {
  const ports = useConsole((s) => s.ports);
  const portsError = useConsole((s) => s.portsError);
  const opening = useConsole((s) => s.opening);
  const openError = useConsole((s) => s.openError);
  const draft = useConsole((s) => s.draft);
  const [path, setPath] = useState('');
  const summary = `${draft.autoBaud ? 'auto-detect' : draft.baudRate} ${draft.dataBits}${draft.parity[0]!.toUpperCase()}${draft.stopBits}`;

  return (
    <div className="port-picker">
      <div className="port-picker-head">
        <span className="muted">Ports on this machine</span>
        <button className="button" onClick={onSettings} aria-label={`Settings: ${summary}`}>
          {summary} · Settings…
        </button>
      </div>
      {portsError && (
        <div className="banner error" role="alert">
          Cannot list serial ports: {portsError}
        </div>
      )}
      {ports === null ? (
        <p className="muted">Looking for serial ports…</p>
      ) : ports.length === 0 ? (
        <p className="muted">No serial adapter found. Plug in the USB-serial cable; it appears here within a second.</p>
      ) : (
        <ul className="port-list" aria-label="Serial ports">
          {ports.map((port) => (
            <li key={`${port.identity}\0${port.path}`}>
              <button className="port-item" onClick={() => onOpen(port.path)} disabled={opening}>
                <span className="port-name">{port.name}</span>
                <span className="port-path">{port.path}</span>
                <span className="port-meta muted">
                  {[usbIds(port) && `USB ${usbIds(port)}`, port.manufacturer, port.serialNumber && `S/N ${port.serialNumber}`].filter(Boolean).join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="port-path-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) onOpen(path.trim());
        }}
      >
        <label>
          Or a port path the system does not list (pty, /dev/serial/by-id/… link)
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/dev/ttyUSB0" spellCheck={false} aria-label="Port path" />
        </label>
        <button className="button primary" disabled={!path.trim() || opening}>
          {opening ? 'Opening…' : 'Open'}
        </button>
      </form>
      {openError && (
        <div className="banner error" role="alert">
          {openError}
        </div>
      )}
    </div>
  );
}
