import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { alignedWindow, bucketEdges, downsampleResult } from './downsample.js';
import { aggregateOf } from './stats.js';

describe('downsampling helpers', () => {
  it('aligned windows cover the request with whole-second buckets on the grid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 1, max: 1e10 }), fc.integer({ min: 1, max: 4000 }), (from, span, buckets) => {
        const w = alignedWindow(from, from + span, buckets);
        expect(w.from).toBeLessThanOrEqual(from);
        expect(w.to).toBeGreaterThanOrEqual(from + span);
        expect(w.buckets).toBeLessThanOrEqual(buckets + 1);
        if (span / buckets >= 1000) {
          const width = (w.to - w.from) / w.buckets;
          expect(w.from % 1000).toBe(0);
          expect(width % 1000).toBe(0);
          expect(Array.from(bucketEdges(w.from, w.to, w.buckets)).every((e) => e % 1000 === 0)).toBe(true);
        } else expect(w).toEqual({ from, to: from + span, buckets });
      }),
    );
  });

  it('M4 keeps first, min, max and last of each bucket in time order', () => {
    const ts = Float64Array.from([0, 1, 2, 3, 4, 5]);
    const v = Float64Array.from([5, 9, 1, 4, 7, 7]);
    const r = downsampleResult(0, 6, [aggregateOf(ts, v, 0, 4), aggregateOf(ts, v, 4, 6), aggregateOf(ts, v, 6, 6)]);
    expect(Array.from(r.m4.ts)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(r.avg)).toEqual([4.75, 7, NaN]);
    expect(Array.from(r.count)).toEqual([4, 2, 0]);
  });
});
