import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';
import { startModbusSlave, type ModbusSlave } from '../../harness/modbus-slave.js';
import { ModbusPoller, type ModbusDeviceStats } from '../../../electron/services/telemetry/modbus-poller.js';
import type { Sample } from '../../../shared/telemetry/series.js';

let pair: PtyPair;
let slave: ModbusSlave;

beforeAll(async () => {
  pair = await startPtyPair();
  slave = await startModbusSlave(pair.b, {
    1: {
      holding: { 0: [0xff38], 1: [0x41c8, 0x0000], 3: [0x0000, 0x41c8], 10: [0xffff, 0xfffe], 20: [0x0001, 0x0000] },
      input: { 5: [1234] },
    },
  });
}, 30_000);

afterAll(async () => {
  await slave?.stop();
  await pair?.stop();
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Modbus RTU poller against pymodbus over a socat pty pair', () => {
  it('polls a register map, decodes types and word orders, counts timeouts and CRC errors per device', async () => {
    const samples: Sample[] = [];
    const poller = new ModbusPoller(
      {
        path: pair.a, baudRate: 9600, timeoutMs: 300,
        devices: [
          {
            name: 'plc-1', unitId: 1,
            registers: [
              { field: 'temp', address: 0, function: 3, type: 'int16', scale: 0.1, unit: 'degC', pollIntervalMs: 100 },
              { field: 'flow', address: 1, function: 3, type: 'float32', unit: 'm3/h', pollIntervalMs: 100 },
              { field: 'flowSwapped', address: 3, function: 3, type: 'float32', wordOrder: 'low-first', pollIntervalMs: 100 },
              { field: 'delta', address: 10, function: 3, type: 'int32', pollIntervalMs: 100 },
              { field: 'count', address: 20, function: 3, type: 'uint32', wordOrder: 'low-first', offset: 1000, pollIntervalMs: 100 },
              { field: 'rpm', address: 5, function: 4, type: 'uint16', unit: 'rpm', pollIntervalMs: 100 },
            ],
          },
          { name: 'ghost', unitId: 7, registers: [{ field: 'x', address: 0, function: 3, type: 'uint16', pollIntervalMs: 100 }] },
        ],
      },
      { append: async (s) => void samples.push(...s) },
    );
    await poller.start();
    try {
      await until(() => samples.some((s) => s.key.field === 'rpm') && poller.stats.get('ghost')!.timeouts >= 1);
      const latest = (field: string) => samples.filter((s) => s.key.field === field).at(-1)!;
      expect(latest('temp')).toMatchObject({ key: { device: 'plc-1', sensor: 'modbus', unit: 'degC' } });
      expect(latest('temp').value).toBeCloseTo(-20, 9);
      expect(latest('flow').value).toBe(25);
      expect(latest('flowSwapped').value).toBe(25);
      expect(latest('delta').value).toBe(-2);
      expect(latest('count').value).toBe(1001);
      expect(latest('rpm').value).toBe(1234);

      const before = { ...poller.stats.get('plc-1')! };
      await slave.corruptNext(2);
      await until(() => poller.stats.get('plc-1')!.crcErrors >= 2);
      const after: ModbusDeviceStats = poller.stats.get('plc-1')!;
      expect(after.crcErrors - before.crcErrors).toBe(2);
      expect(after.timeouts).toBe(0);
      expect(poller.stats.get('ghost')).toMatchObject({ ok: 0, crcErrors: 0 });
      expect(poller.stats.get('ghost')!.lastError).toMatch(/timed out/i);
      const okBefore = after.ok;
      await until(() => poller.stats.get('plc-1')!.ok > okBefore + 2);
    } finally {
      await poller.stop();
    }
  }, 60_000);
});
