import { describe, expect, it } from 'vitest';
import { modbusSourceInputSchema } from '../../../../shared/contract/telemetry.js';
import { buildModbusInput, newRow, type LineFields } from './modbus-form.js';

const line: LineFields = { path: '/dev/ttyUSB0', baudRate: '19200', parity: 'even', stopBits: '1', device: 'pump-3', unitId: '5', sensor: '' };

describe('the Modbus register-map form', () => {
  it('turns the typed rows into a contract input the backend accepts', () => {
    const rows = [
      { ...newRow(), field: 'temp', type: 'int16' as const, scale: '0.1', unit: 'degC', pollIntervalMs: '500' },
      { ...newRow(1), field: 'flow', function: '4' as const, type: 'float32' as const, wordOrder: 'low-first' as const, offset: '-2.5' },
    ];
    const { input, problems } = buildModbusInput(line, rows);
    expect(problems).toEqual([]);
    expect(input).toEqual({
      path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', stopBits: 1,
      devices: [{ name: 'pump-3', unitId: 5, registers: [
        { field: 'temp', address: 0, function: 3, type: 'int16', scale: 0.1, unit: 'degC', pollIntervalMs: 500 },
        { field: 'flow', address: 1, function: 4, type: 'float32', wordOrder: 'low-first', offset: -2.5, pollIntervalMs: 1000 },
      ] }],
    });
    expect(modbusSourceInputSchema.safeParse(input).success).toBe(true);
  });

  it('explains every problem instead of sending a bad map', () => {
    const rows = [
      { ...newRow(), field: 'a', address: '70000', scale: 'x', pollIntervalMs: '5' },
      { ...newRow(), field: 'a' },
    ];
    expect(buildModbusInput({ ...line, path: 'ttyUSB0', device: ' ', unitId: '0', baudRate: 'fast' }, rows).problems).toEqual([
      'Serial port: give the full device path, e.g. /dev/ttyUSB0',
      'Device name is missing',
      'Baud rate must be a whole number from 50 to 4000000',
      'Unit id must be a whole number from 1 to 247',
      'Register 1: scale "x" is not a number',
      'Register 1: address must be a whole number from 0 to 65535',
      'Register 1: poll interval (ms) must be a whole number from 10 to 86400000',
      'Register 2 (a): field name used twice',
    ]);
    expect(buildModbusInput(line, []).problems).toEqual(['Add at least one register']);
  });
});
