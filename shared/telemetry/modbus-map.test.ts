import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeRegisters, planReads, validateRegisterMap, type RegisterEntry } from './modbus-map.js';

const entry = (over: Partial<RegisterEntry>): RegisterEntry => ({ field: 'f', address: 0, function: 3, type: 'uint16', pollIntervalMs: 1000, ...over });

describe('Modbus register maps', () => {
  it('decodes every type in both word orders, scaled', () => {
    expect(decodeRegisters([0xfff6], { type: 'int16', scale: 0.1 })).toBeCloseTo(-1);
    expect(decodeRegisters([0xfff6], { type: 'uint16' })).toBe(65526);
    expect(decodeRegisters([0xffff, 0xfffe], { type: 'int32' })).toBe(-2);
    expect(decodeRegisters([0xfffe, 0xffff], { type: 'int32', wordOrder: 'low-first' })).toBe(-2);
    expect(decodeRegisters([0x0001, 0x0000], { type: 'uint32', wordOrder: 'low-first' })).toBe(1);
    expect(decodeRegisters([0x41c8, 0x0000], { type: 'float32' })).toBe(25);
    expect(decodeRegisters([0x0000, 0x41c8], { type: 'float32', wordOrder: 'low-first', offset: -5 })).toBe(20);
  });

  it('groups contiguous registers into block reads', () => {
    const plan = planReads([entry({ address: 10, type: 'float32' }), entry({ address: 12 }), entry({ address: 200 }), entry({ address: 11, function: 4 })]);
    expect(plan.map((b) => [b.function, b.address, b.count, b.entries.length])).toEqual([[3, 10, 3, 2], [3, 200, 1, 1], [4, 11, 1, 1]]);
  });

  it('never builds a read over 125 registers and covers every entry', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ address: fc.integer({ min: 0, max: 1000 }), type: fc.constantFrom('int16', 'uint16', 'int32', 'uint32', 'float32' as const), function: fc.constantFrom(3 as const, 4 as const) })), (specs) => {
        const plan = planReads(specs.map((s) => entry(s)));
        expect(plan.every((b) => b.count <= 125)).toBe(true);
        expect(plan.reduce((n, b) => n + b.entries.length, 0)).toBe(specs.length);
        for (const b of plan) for (const e of b.entries) expect(e.address >= b.address && e.address < b.address + b.count).toBe(true);
      }),
    );
  });

  it('reports problems in an edited map', () => {
    expect(validateRegisterMap([entry({ field: '', address: -1, pollIntervalMs: 0 })])).toEqual([
      'register 1 (unnamed): field name missing', 'register 1 (unnamed): address must be 0-65535', 'register 1 (unnamed): poll interval must be at least 10 ms',
    ]);
    expect(validateRegisterMap([entry({ field: 'temp' }), entry({ field: 'temp', address: 1, scale: Number.NaN })])).toEqual([
      'register 2 (temp): field name used twice', 'register 2 (temp): scale and offset must be numbers',
    ]);
  });
});
