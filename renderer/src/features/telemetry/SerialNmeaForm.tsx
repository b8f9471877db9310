import { useEffect, useState } from 'react';
import type { SerialSessionStatus } from '../../../../shared/contract/serial.js';
import type { TelemetryActions } from './telemetry-store.js';
import { useSourceForm } from './use-source-form.js';

/** NMEA 0183 from a port already open in the Console (a GPS receiver): its lines decoded into series as they arrive. */
export function SerialNmeaForm({ actions, onDone }: { actions: TelemetryActions; onDone?: () => void }) {
  const [sessions, setSessions] = useState<SerialSessionStatus[] | null>(null);
  useEffect(() => {
    let live = true;
    void actions.serialSessions().then((s) => live && setSessions(s.filter((x) => x.state !== 'closed')));
    return () => {
      live = false;
    };
  }, [actions]);

  const { busy, onSubmit } = useSourceForm((f) => {
    const device = String(f.get('device') ?? '').trim();
    return actions.startSerial({ sessionId: String(f.get('sessionId')), format: 'nmea', ...(device && { device }) });
  }, onDone);

  if (sessions === null) return <p className="muted">Looking for open serial ports…</p>;
  if (sessions.length === 0) return <p className="muted">No serial port is open. Open the GPS receiver's port in the Console, then come back here.</p>;
  return (
    <form className="source-form" onSubmit={onSubmit} aria-label="NMEA from a serial port">
      <label>
        Open serial port
        <select name="sessionId" defaultValue={sessions[0]!.id}>
          {sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.path} ({s.settings.baudRate} baud)
            </option>
          ))}
        </select>
      </label>
      <label>
        Device name
        <input name="device" placeholder="the device behind the port" />
      </label>
      <label>
        Format
        <select name="format" defaultValue="nmea">
          <option value="nmea">NMEA 0183</option>
        </select>
      </label>
      <div className="form-actions">
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Starting…' : 'Decode NMEA'}
        </button>
      </div>
    </form>
  );
}
