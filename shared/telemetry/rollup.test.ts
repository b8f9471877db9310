import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RollupTier } from './rollup.js';
import { aggregateOf, emptyAggregate } from './stats.js';

describe('RollupTier', () => {
  it('built from per-chunk buckets, equals the aggregate of the raw samples in every bucket', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 700 }), fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -50, max: 50 }) }, { weight: 1, arbitrary: fc.constant(NaN) })), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, chunkSize) => {
          let t = 0;
          const ts = Float64Array.from(rows, ([gap]) => (t += gap));
          const values = Float64Array.from(rows, ([, v]) => v);
          const fine = new RollupTier(100);
          const coarse = new RollupTier(1000);
          const chunk = new RollupTier(100);
          for (let at = 0; at < ts.length; at += chunkSize) {
            chunk.clear();
            chunk.addSamples(ts.subarray(at, at + chunkSize), values.subarray(at, at + chunkSize));
            fine.addBuckets(chunk);
            coarse.addBuckets(chunk);
          }
          for (const tier of [fine, coarse]) {
            for (let start = 0; start <= t; start += tier.width) {
              const got = emptyAggregate();
              tier.mergeRange(start, start + tier.width, got);
              const from = ts.findIndex((x) => x >= start);
              const to = ts.findIndex((x) => x >= start + tier.width);
              const want = aggregateOf(ts, values, from < 0 ? ts.length : from, to < 0 ? ts.length : to);
              expect({ ...got, sum: 0 }).toEqual({ ...want, sum: 0 });
              expect(got.sum).toBeCloseTo(want.sum, 9);
            }
          }
        },
      ),
    );
  });
});
