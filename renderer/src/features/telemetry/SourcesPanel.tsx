import { useState } from 'react';
import { IMPORT_FORMATS, type MqttSourceInput, type TelemetrySource } from '../../../../shared/contract/telemetry.js';
import { ModbusForm } from './ModbusForm.js';
import { SerialNmeaForm } from './SerialNmeaForm.js';
import type { TelemetryActions } from './telemetry-store.js';
import { useSourceForm } from './use-source-form.js';

/** `path [field] [unit]` per line, e.g. `env.temp temperature degC`. */
export function parseFieldLines(text: string): { path: string; field?: string; unit?: string }[] | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return undefined;
  return lines.map((line) => {
    const [path, field, unit] = line.split(/\s+/);
    return { path: path!, ...(field && { field }), ...(unit && { unit }) };
  });
}

function MqttForm({ actions, onDone }: FormProps) {
  const { busy, onSubmit } = useSourceForm((f) => {
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const fields = parseFieldLines(text('fields'));
    const input: MqttSourceInput = {
      url: text('url'),
      device: text('device'),
      ...(text('username') && { username: text('username') }),
      ...(text('password') && { password: String(f.get('password')) }),
      ...(text('ca') && { tls: { ca: text('ca') } }),
      topics: [{ filter: text('filter'), ...(text('sensor') && { sensor: text('sensor') }), ...(text('timePath') && { timePath: text('timePath') }), ...(fields && { fields }) }],
    };
    return actions.startMqtt(input);
  }, onDone);
  return (
    <form className="source-form" onSubmit={onSubmit} aria-label="MQTT subscription">
      <label>
        Broker address
        <input name="url" required placeholder="mqtt://192.168.8.1:1883" pattern="mqtts?://.+" />
      </label>
      <label>
        Device name
        <input name="device" required placeholder="gw-17" />
      </label>
      <label>
        User name
        <input name="username" autoComplete="off" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="off" />
      </label>
      <label>
        Topic filter
        <input name="filter" required placeholder="plant/+/env" />
      </label>
      <label>
        Sensor name
        <input name="sensor" placeholder="the topic" />
      </label>
      <label className="wide">
        JSON fields <span className="muted">(one per line: path field unit; empty = every number)</span>
        <textarea name="fields" rows={2} placeholder="env.temp temperature degC" />
      </label>
      <label>
        Time path
        <input name="timePath" placeholder="ts (default: arrival time)" />
      </label>
      <label>
        CA certificate <span className="muted">(mqtts)</span>
        <textarea name="ca" rows={1} placeholder="-----BEGIN CERTIFICATE-----" />
      </label>
      <div className="form-actions wide">
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Connecting…' : 'Subscribe'}
        </button>
      </div>
    </form>
  );
}

function ImportForm({ actions, onDone }: FormProps) {
  const { busy, onSubmit } = useSourceForm((f) => {
    const sensor = String(f.get('sensor') ?? '').trim();
    return actions.importFile({
      path: String(f.get('path')).trim(),
      format: String(f.get('format')) as (typeof IMPORT_FORMATS)[number],
      device: String(f.get('device')).trim(),
      ...(sensor && { sensor }),
    });
  }, onDone);
  return (
    <form className="source-form" onSubmit={onSubmit} aria-label="Import a recording">
      <label className="wide">
        File on this machine
        <input name="path" required placeholder="/home/tech/captures/gps-2026-11-28.nmea" />
      </label>
      <label>
        Format
        <select name="format" defaultValue="nmea">
          <option value="nmea">NMEA 0183</option>
          <option value="csv">CSV with header row</option>
          <option value="jsonl">JSON lines</option>
          <option value="kv">key=value lines</option>
        </select>
      </label>
      <label>
        Device name
        <input name="device" required placeholder="gw-17" />
      </label>
      <label>
        Sensor name
        <input name="sensor" placeholder="optional" />
      </label>
      <div className="form-actions">
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Importing…' : 'Import file'}
        </button>
      </div>
    </form>
  );
}

interface FormProps {
  actions: TelemetryActions;
  /** Called once the source runs or the file is imported. */
  onDone?: () => void;
}

const TABS = [
  { id: 'mqtt', label: 'MQTT broker', Form: MqttForm },
  { id: 'modbus', label: 'Modbus RTU', Form: ModbusForm },
  { id: 'serial', label: 'Serial NMEA', Form: SerialNmeaForm },
  { id: 'file', label: 'Recorded file', Form: ImportForm },
] as const;

/** Feeding the store: an MQTT subscription, Modbus polling, NMEA from an open serial port, or a recorded file. */
export function AddSource({ actions, onDone }: FormProps) {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('mqtt');
  const { Form } = TABS.find((t) => t.id === tab)!;
  return (
    <div className="add-source">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={`button${tab === t.id ? ' active' : ''}`} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <Form actions={actions} onDone={onDone} />
    </div>
  );
}

export function SourceList({ sources, actions }: { sources: TelemetrySource[]; actions: TelemetryActions }) {
  if (sources.length === 0) return null;
  return (
    <ul className="source-list" aria-label="Live sources">
      {sources.map((s) => (
        <li key={s.id}>
          <span className="source-dot" />
          <span className="source-label">{s.label}</span>
          {s.devices ? (
            <span className="muted source-devices">
              {s.devices.map((d) => (
                <span key={d.name} title={d.lastError ?? undefined}>
                  {d.name}: {d.polls} polls · {d.ok} ok · {d.timeouts} timeouts · {d.crcErrors} CRC errors{d.exceptions ? ` · ${d.exceptions} exceptions` : ''}
                </span>
              ))}
              <span>{s.samples} samples</span>
            </span>
          ) : (
            <span className="muted">
              {s.messages} messages · {s.samples} samples{s.badPayloads ? ` · ${s.badPayloads} bad payloads (kept in Logs)` : ''}
              {s.lastError && ` · ${s.lastError}`}
            </span>
          )}
          <button className="link-button" onClick={() => void actions.stopSource(s.id)}>
            Stop
          </button>
        </li>
      ))}
    </ul>
  );
}
