import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ByteReader } from './bytes.js';
import { MetaColumn } from './meta-column.js';

const MINUTE_NS = 60_000_000_000n;

/** Sorted rows from 2^40 ns on, gaps from none to a quarter hour (a block spans under 2^52 ns). */
const rows = fc
  .record({
    start: fc.bigInt({ min: 2n ** 40n, max: 2n ** 62n }),
    rows: fc.array(
      fc.record({
        gap: fc.oneof(fc.bigInt({ min: 0n, max: 1_000_000n }), fc.bigInt({ min: 0n, max: 15n * MINUTE_NS })),
        stream: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 200_000 })),
        level: fc.integer({ min: 0, max: 7 }),
        length: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fieldBytes: fc.integer({ min: 0, max: 70_000 }),
      }),
      { minLength: 1, maxLength: 300 },
    ),
    withFields: fc.boolean(),
  })
  .map(({ start, rows, withFields }) => {
    let ts = start;
    const times = rows.map((row) => (ts += row.gap));
    return {
      ts: BigInt64Array.from(times),
      stream: Uint32Array.from(rows, (row) => row.stream),
      level: Uint8Array.from(rows, (row) => row.level),
      lengths: Uint32Array.from(rows, (row) => row.length),
      fieldBytes: withFields ? Uint32Array.from(rows, (row) => row.fieldBytes) : null,
    };
  });

describe('MetaColumn', () => {
  it('writes each row as the query side reads it back, with the levels, streams and rows per minute counted exactly (property)', () => {
    // one builder for every run: its areas and stream marks are reused from block to block, as in a worker
    const meta = new MetaColumn();
    fc.assert(
      fc.property(rows, (block) => {
        const minTs = block.ts[0];
        const built = meta.build(block, block.fieldBytes, Number(minTs % MINUTE_NS));
        const reader = new ByteReader(built.column);
        let ts = minTs;
        for (let row = 0; row < block.ts.length; row++) {
          ts += BigInt(reader.varint());
          expect([ts, reader.varint(), reader.u8(), reader.varint(), reader.varint()]).toEqual([block.ts[row], block.stream[row], block.level[row], block.lengths[row], block.fieldBytes?.[row] ?? 0]);
        }
        expect(reader.offset).toBe(built.column.length);
        expect(built.levelMask).toBe(block.level.reduce((mask, level) => mask | (1 << level), 0));
        expect(built.streams).toEqual([...new Set(block.stream)].sort((a, b) => a - b));
        const perMinute = new Map<number, number>();
        for (const rowTs of block.ts) {
          const minute = Number(rowTs / MINUTE_NS - minTs / MINUTE_NS);
          perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
        }
        expect(built.minutes).toEqual([...perMinute].flat());
      }),
      { numRuns: 300 },
    );
  });
});
