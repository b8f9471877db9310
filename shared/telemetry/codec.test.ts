import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeChunk, encodeChunk, readChunkHeader } from './codec.js';

function bits(values: Float64Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length * 2));
}

function fromWords(words: number[]): Float64Array {
  return new Float64Array(new Uint32Array(words).buffer);
}

const rawDoubles = fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 300 });
const specials = [NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, -Number.MAX_VALUE, 1e-310];

function timestampsFor(n: number, seed: number[]): Float64Array {
  const ts = new Float64Array(n);
  let t = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    t += seed[i % seed.length] ?? 1000;
    ts[i] = t;
  }
  return ts;
}

describe('chunk codec', () => {
  it('round-trips every float64 bit pattern, NaN payloads included', () => {
    fc.assert(
      fc.property(rawDoubles, fc.array(fc.integer({ min: -5000, max: 5_000_000 }), { minLength: 1, maxLength: 8 }), (pairs, gaps) => {
        const values = fromWords(pairs.flat());
        const ts = timestampsFor(values.length, gaps);
        const decoded = decodeChunk(encodeChunk(ts, values));
        expect(bits(decoded.values)).toEqual(bits(values));
        expect(Array.from(decoded.ts)).toEqual(Array.from(ts));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips special values and arbitrary integer timestamps within ±2^52', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.oneof(fc.constantFrom(...specials), fc.double())), { maxLength: 200 }),
        (rows) => {
          const ts = Float64Array.from(rows.map((r) => r[0]));
          const values = Float64Array.from(rows.map((r) => r[1]));
          const decoded = decodeChunk(encodeChunk(ts, values, 123n));
          expect(bits(decoded.values)).toEqual(bits(values));
          expect(Array.from(decoded.ts)).toEqual(Array.from(ts));
          expect(decoded.base).toBe(123n);
        },
      ),
    );
  });

  it('picks decimal mode for fixed-precision values and stays exact', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2_000_000, max: 2_000_000 }), { minLength: 64, maxLength: 300 }), fc.integer({ min: 0, max: 4 }), (mantissas, e) => {
        const values = Float64Array.from(mantissas.map((m) => m / 10 ** e));
        const ts = timestampsFor(values.length, [1000]);
        const bytes = encodeChunk(ts, values);
        const decoded = decodeChunk(bytes);
        expect(bits(decoded.values)).toEqual(bits(values));
        expect(readChunkHeader(bytes).mode).toBe('decimal');
      }),
    );
  });

  it('stays exact and as small with any exponent hint (a wrong one is corrected)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -99999, max: 99999 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 15 }), (mantissas, e, hint) => {
        const values = Float64Array.from(mantissas.map((m) => m / 10 ** e));
        const ts = timestampsFor(values.length, [1000]);
        const plain = encodeChunk(ts, values);
        const hinted = encodeChunk(ts, values, 0n, { exponentHint: hint });
        expect(bits(decodeChunk(hinted).values)).toEqual(bits(values));
        expect(hinted.length).toBe(plain.length);
        expect(readChunkHeader(hinted).exponent).toBe(readChunkHeader(plain).exponent);
      }),
    );
  });

  it('round-trips decimal chunks whose deltas need more than 32 bits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), { minLength: 64, maxLength: 200 }), (ints) => {
        const values = Float64Array.from(ints);
        const bytes = encodeChunk(timestampsFor(values.length, [1]), values);
        expect(bits(decodeChunk(bytes).values)).toEqual(bits(values));
      }),
    );
  });

  it('keeps min, max, sum, count and time bounds in the header', () => {
    const ts = Float64Array.from([10, 20, 30, 40]);
    const values = Float64Array.from([2.5, NaN, -1, 7]);
    const { stats, count } = readChunkHeader(encodeChunk(ts, values));
    expect(count).toBe(4);
    expect(stats).toMatchObject({ count: 4, sum: 8.5, min: -1, minTs: 30, max: 7, maxTs: 40, firstTs: 10, first: 2.5, lastTs: 40, last: 7 });
  });

  it('compresses a regular smooth series to a few bits per sample', () => {
    const n = 4096;
    const ts = timestampsFor(n, [1000]);
    const values = Float64Array.from({ length: n }, (_, i) => Math.round((20 + 3 * Math.sin(i / 300)) * 100) / 100);
    expect(encodeChunk(ts, values).length / n).toBeLessThan(1.37);
  });

  it('rejects non-integer timestamps with a clear error', () => {
    expect(() => encodeChunk(Float64Array.from([1.5]), Float64Array.from([1]))).toThrow(/not an integer/);
    expect(() => decodeChunk(new Uint8Array(10))).toThrow(/shorter/);
  });
});

describe('decimal mode exceptions', () => {
  it('stores NaN, -0 and non-decimal values raw inside a decimal chunk', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => (i % 100 === 0 ? [NaN, -0, 1 / 3, -Infinity][(i / 100) % 4]! : Math.round(Math.sin(i / 30) * 1000) / 1000));
    const ts = Float64Array.from({ length: 5000 }, (_, i) => i * 10);
    const bytes = encodeChunk(ts, values);
    expect(readChunkHeader(bytes).mode).toBe('decimal');
    expect(bits(decodeChunk(bytes).values)).toEqual(bits(values));
  });

  it('round-trips mostly-decimal data with arbitrary exceptions', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 20, arbitrary: fc.integer({ min: -99999, max: 99999 }).map((m) => m / 100) }, { weight: 1, arbitrary: fc.double() }), { maxLength: 400 }), (list) => {
        const values = Float64Array.from(list);
        const ts = Float64Array.from(list, (_, i) => i);
        expect(bits(decodeChunk(encodeChunk(ts, values)).values)).toEqual(bits(values));
      }),
    );
  });
});
