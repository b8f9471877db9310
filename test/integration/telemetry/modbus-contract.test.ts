import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import type { ModbusSourceInput, TelemetrySource } from '../../../shared/contract/telemetry.js';
import { seriesId } from '../../../shared/telemetry/series.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { startModbusSlave, type ModbusSlave } from '../../harness/modbus-slave.js';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';

let pair: PtyPair;
let slave: ModbusSlave;
let harness: Harness;

beforeAll(async () => {
  [pair, harness] = await Promise.all([startPtyPair(), overWebSocket()]);
  // Holding 0: -200 (int16); 1-2: 25.0 (float32, ABCD); 3-4: 25.0 (float32, CDAB); 10-11: -2 (int32); input 5: 1234.
  slave = await startModbusSlave(pair.b, {
    1: { holding: { 0: [0xff38], 1: [0x41c8, 0x0000], 3: [0x0000, 0x41c8], 10: [0xffff, 0xfffe] }, input: { 5: [1234] } },
  });
}, 30_000);

afterAll(async () => {
  await harness?.close();
  await slave?.stop();
  await pair?.stop();
});

const input = (path: string): ModbusSourceInput => ({
  path,
  baudRate: 9600,
  timeoutMs: 300,
  sensor: 'rtu',
  devices: [
    {
      name: 'pump-3',
      unitId: 1,
      registers: [
        { field: 'temp', address: 0, function: 3, type: 'int16', scale: 0.1, unit: 'degC', pollIntervalMs: 100 },
        { field: 'flow', address: 1, function: 3, type: 'float32', unit: 'm3/h', pollIntervalMs: 100 },
        { field: 'flowSwapped', address: 3, function: 3, type: 'float32', wordOrder: 'low-first', scale: 2, offset: 1, pollIntervalMs: 100 },
        { field: 'delta', address: 10, function: 3, type: 'int32', pollIntervalMs: 100 },
        { field: 'rpm', address: 5, function: 4, type: 'uint16', unit: 'rpm', pollIntervalMs: 100 },
      ],
    },
    { name: 'absent', unitId: 9, registers: [{ field: 'x', address: 0, function: 3, type: 'uint16', pollIntervalMs: 100 }] },
  ],
});

const sourceNamed = async (id: string): Promise<TelemetrySource | undefined> => (await harness.client.call('telemetry.sources', {})).sources.find((s) => s.id === id);
const pumpSeries = (field: string, unit = '') => seriesId({ device: 'pump-3', sensor: 'rtu', field, unit });
const latest = async (field: string, unit?: string) => (await harness.client.call('telemetry.latest', { ids: [pumpSeries(field, unit)] })).values[0]?.value;

describe('Modbus RTU sources over the contract, against a real pymodbus slave on a socat pty pair', () => {
  it('polls the register map into scaled series, counts polls, timeouts and CRC errors per device, and stops', async () => {
    const source = await harness.client.call('telemetry.modbus.start', input(pair.a));
    expect(source).toMatchObject({ kind: 'modbus', device: 'pump-3, absent', lastError: null });
    expect(source.label).toContain(pair.a);
    expect(harness.backend.connections.count).toBe(1);

    await expect.poll(() => latest('rpm', 'rpm'), { timeout: 15_000 }).toBe(1234);
    expect(await latest('temp', 'degC')).toBeCloseTo(-20, 9);
    expect(await latest('flow', 'm3/h')).toBe(25);
    expect(await latest('flowSwapped')).toBe(51);
    expect(await latest('delta')).toBe(-2);

    await expect.poll(async () => (await sourceNamed(source.id))?.devices?.[1]?.timeouts ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const before = (await sourceNamed(source.id))!.devices![0]!;
    await slave.corruptNext(2);
    await expect.poll(async () => (await sourceNamed(source.id))?.devices?.[0]?.crcErrors, { timeout: 15_000 }).toBe(before.crcErrors + 2);

    const listed = (await sourceNamed(source.id))!;
    const [pump, absent] = listed.devices!;
    expect(pump).toMatchObject({ name: 'pump-3', unitId: 1, timeouts: 0, exceptions: 0 });
    expect(pump!.polls).toBeGreaterThanOrEqual(pump!.ok + pump!.crcErrors);
    expect(pump!.ok).toBeGreaterThan(0);
    expect(absent).toMatchObject({ name: 'absent', unitId: 9, ok: 0, crcErrors: 0 });
    expect(absent!.lastError).toMatch(/timed out/i);
    expect(listed.messages).toBe(pump!.ok);
    expect(listed.badPayloads).toBe(pump!.crcErrors);
    expect(listed.samples).toBeGreaterThanOrEqual(5);

    expect(await harness.client.call('telemetry.source.stop', { id: source.id })).toEqual({ stopped: true });
    expect(harness.backend.connections.count).toBe(0);
    expect(await sourceNamed(source.id)).toBeUndefined();
    const rpmCount = async (id: string) => (await harness.client.call('telemetry.series', {})).series.find((s) => s.id === id)?.count ?? 0;
    const count = await rpmCount(pumpSeries('rpm', 'rpm'));
    // A witness instead of a sleep: a second source polls the freed port for several cycles; the stopped one adds nothing.
    const again = await harness.client.call('telemetry.modbus.start', { ...input(pair.a), sensor: 'rtu-again' });
    await expect.poll(() => rpmCount(seriesId({ device: 'pump-3', sensor: 'rtu-again', field: 'rpm', unit: 'rpm' })), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(await harness.client.call('telemetry.source.stop', { id: again.id })).toEqual({ stopped: true });
    expect(await rpmCount(pumpSeries('rpm', 'rpm'))).toBe(count);
  }, 60_000);

  it('refuses a bad register map and a missing port with messages the technician can act on', async () => {
    const duplicate = input(pair.a);
    duplicate.devices[0]!.registers.push({ field: 'temp', address: 7, function: 3, type: 'uint16', pollIntervalMs: 100 });
    await expect(harness.client.call('telemetry.modbus.start', duplicate)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/register 6 \(temp\): field name used twice/) });

    const badType = { ...input(pair.a), devices: [{ name: 'x', unitId: 1, registers: [{ field: 'a', address: 0, function: 3, type: 'int64', pollIntervalMs: 100 }] }] };
    await expect(harness.client.call('telemetry.modbus.start', badType as unknown as ModbusSourceInput)).rejects.toMatchObject({ code: 'bad_request' });

    const missing = await harness.client.call('telemetry.modbus.start', input('/dev/fieldkit-no-such-port')).catch((e: FieldkitError) => e);
    expect(missing).toMatchObject({ code: 'not_found', message: expect.stringContaining('/dev/fieldkit-no-such-port'), hint: expect.stringMatching(/plugged in/) });
    expect(harness.backend.connections.count).toBe(0);
    expect((await harness.client.call('telemetry.sources', {})).sources).toEqual([]);
  }, 30_000);
});
