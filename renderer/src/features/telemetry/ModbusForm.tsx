import { useState } from 'react';
import { REGISTER_TYPES } from '../../../../shared/contract/telemetry.js';
import { buildModbusInput, newRow, type LineFields, type RegisterRow } from './modbus-form.js';
import type { TelemetryActions } from './telemetry-store.js';
import { useSourceForm } from './use-source-form.js';

const STARTING_LINE: LineFields = { path: '', baudRate: '9600', parity: 'none', stopBits: '1', device: '', unitId: '1', sensor: '' };

/** Modbus RTU polling: the serial line, one device, and its register map as editable rows. */
export function ModbusForm({ actions, onDone }: { actions: TelemetryActions; onDone?: () => void }) {
  const [line, setLine] = useState(STARTING_LINE);
  const [rows, setRows] = useState<RegisterRow[]>([newRow()]);
  const [problems, setProblems] = useState<string[]>([]);

  const lineField = <K extends keyof LineFields>(key: K) => ({
    name: key,
    value: line[key],
    onChange: (e: { target: { value: string } }) => setLine({ ...line, [key]: e.target.value as LineFields[K] }),
  });
  const cell = <K extends keyof RegisterRow>(i: number, key: K) => ({
    'aria-label': `Register ${i + 1} ${key}`,
    value: rows[i]![key],
    onChange: (e: { target: { value: string } }) => setRows(rows.map((r, j) => (j === i ? { ...r, [key]: e.target.value as RegisterRow[K] } : r))),
  });
  const addRow = () => {
    const last = rows.at(-1);
    const next = last ? Number(last.address) + (last.type === 'int16' || last.type === 'uint16' ? 1 : 2) : 0;
    setRows([...rows, { ...newRow(Number.isFinite(next) ? next : 0), ...(last && { function: last.function, pollIntervalMs: last.pollIntervalMs }) }]);
  };

  const { busy, onSubmit } = useSourceForm(() => {
    const built = buildModbusInput(line, rows);
    setProblems(built.problems);
    return built.input && actions.startModbus(built.input);
  }, onDone);

  return (
    <form className="source-form" onSubmit={onSubmit} aria-label="Modbus RTU polling" noValidate>
      <label>
        Serial port
        <input {...lineField('path')} placeholder="/dev/ttyUSB0" />
      </label>
      <label>
        Baud rate
        <input {...lineField('baudRate')} inputMode="numeric" />
      </label>
      <label>
        Parity
        <select {...lineField('parity')}>
          <option value="none">none</option>
          <option value="even">even</option>
          <option value="odd">odd</option>
        </select>
      </label>
      <label>
        Stop bits
        <select {...lineField('stopBits')}>
          <option value="1">1</option>
          <option value="2">2</option>
        </select>
      </label>
      <label>
        Device name
        <input {...lineField('device')} placeholder="pump-3" />
      </label>
      <label>
        Unit id
        <input {...lineField('unitId')} inputMode="numeric" />
      </label>
      <label>
        Sensor name
        <input {...lineField('sensor')} placeholder="modbus" />
      </label>
      <div className="wide register-map">
        <table aria-label="Register map">
          <colgroup>
            {[15, 9, 11, 14, 11, 9, 9, 9, 9, 4].map((w, i) => <col key={i} style={{ width: `${w}%` }} />)}
          </colgroup>
          <thead>
            <tr>
              <th>Field</th><th>Address</th><th title="3 = holding registers, 4 = input registers">Func.</th><th>Type</th><th title="32-bit types: ABCD = high word first, CDAB = low word first">Words</th><th>Scale</th><th>Offset</th><th>Unit</th><th>Poll ms</th><th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td><input {...cell(i, 'field')} placeholder="temperature" /></td>
                <td><input {...cell(i, 'address')} inputMode="numeric" /></td>
                <td>
                  <select {...cell(i, 'function')}>
                    <option value="3">3</option>
                    <option value="4">4</option>
                  </select>
                </td>
                <td>
                  <select {...cell(i, 'type')}>
                    {REGISTER_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                  </select>
                </td>
                <td>
                  <select {...cell(i, 'wordOrder')} disabled={r.type === 'int16' || r.type === 'uint16'}>
                    <option value="high-first">ABCD</option>
                    <option value="low-first">CDAB</option>
                  </select>
                </td>
                <td><input {...cell(i, 'scale')} inputMode="decimal" /></td>
                <td><input {...cell(i, 'offset')} inputMode="decimal" /></td>
                <td><input {...cell(i, 'unit')} placeholder="degC" /></td>
                <td><input {...cell(i, 'pollIntervalMs')} inputMode="numeric" /></td>
                <td>
                  <button type="button" className="link-button" aria-label={`Remove register ${i + 1}`} title="Remove this register" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="button" onClick={addRow}>
          Add register
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="banner error wide form-problems" role="alert" aria-label="Register map problems">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      <div className="form-actions wide">
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Opening port…' : 'Start polling'}
        </button>
      </div>
    </form>
  );
}
