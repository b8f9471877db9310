/** The Modbus form's text fields turned into a `telemetry.modbus.start` input, or the problems to show. */
import { REGISTER_TYPES, type ModbusRegister, type ModbusSourceInput } from '../../../../shared/contract/telemetry.js';
import { validateRegisterMap } from '../../../../shared/telemetry/modbus-map.js';

export interface RegisterRow {
  field: string;
  address: string;
  function: '3' | '4';
  type: (typeof REGISTER_TYPES)[number];
  wordOrder: 'high-first' | 'low-first';
  scale: string;
  offset: string;
  unit: string;
  pollIntervalMs: string;
}

export interface LineFields {
  path: string;
  baudRate: string;
  parity: 'none' | 'even' | 'odd';
  stopBits: '1' | '2';
  device: string;
  unitId: string;
  sensor: string;
}

export const newRow = (address = 0): RegisterRow => ({
  field: '', address: String(address), function: '3', type: 'uint16', wordOrder: 'high-first', scale: '1', offset: '0', unit: '', pollIntervalMs: '1000',
});

/** A number typed in a field; `undefined` when it is not one. An empty optional field gives `fallback`. */
function number(text: string, fallback?: number): number | undefined {
  const t = text.trim();
  if (t === '') return fallback;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function buildModbusInput(line: LineFields, rows: readonly RegisterRow[]): { input: ModbusSourceInput; problems: [] } | { input?: undefined; problems: string[] } {
  const problems: string[] = [];
  const integer = (text: string, what: string, min: number, max: number): number => {
    const n = number(text);
    if (n === undefined || !Number.isInteger(n) || n < min || n > max) problems.push(`${what} must be a whole number from ${min} to ${max}`);
    return n ?? 0;
  };
  if (!line.path.trim().startsWith('/')) problems.push('Serial port: give the full device path, e.g. /dev/ttyUSB0');
  if (!line.device.trim()) problems.push('Device name is missing');
  const baudRate = integer(line.baudRate, 'Baud rate', 50, 4_000_000);
  const unitId = integer(line.unitId, 'Unit id', 1, 247);
  if (rows.length === 0) problems.push('Add at least one register');
  const registers: ModbusRegister[] = rows.map((r, i) => {
    const at = `Register ${i + 1}`;
    const scale = number(r.scale, 1);
    const offset = number(r.offset, 0);
    if (scale === undefined) problems.push(`${at}: scale "${r.scale}" is not a number`);
    if (offset === undefined) problems.push(`${at}: offset "${r.offset}" is not a number`);
    const is32 = r.type !== 'int16' && r.type !== 'uint16';
    return {
      field: r.field.trim(),
      address: integer(r.address, `${at}: address`, 0, 65535),
      function: r.function === '4' ? 4 : 3,
      type: r.type,
      ...(is32 && { wordOrder: r.wordOrder }),
      ...(scale !== undefined && scale !== 1 && { scale }),
      ...(offset !== undefined && offset !== 0 && { offset }),
      ...(r.unit.trim() && { unit: r.unit.trim() }),
      pollIntervalMs: integer(r.pollIntervalMs, `${at}: poll interval (ms)`, 10, 86_400_000),
    };
  });
  problems.push(...validateRegisterMap(registers).filter((p) => !/address must|poll interval/.test(p)).map((p) => p[0]!.toUpperCase() + p.slice(1)));
  if (problems.length > 0) return { problems };
  return {
    input: {
      path: line.path.trim(),
      baudRate,
      parity: line.parity,
      stopBits: line.stopBits === '2' ? 2 : 1,
      ...(line.sensor.trim() && { sensor: line.sensor.trim() }),
      devices: [{ name: line.device.trim(), unitId, registers }],
    },
    problems: [],
  };
}
