import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Binner, SeriesRing, type Segment } from './plot-data.js';

const contents = (ring: SeriesRing) => Array.from({ length: ring.length }, (_, i) => [ring.tsAt(i), ring.valueAt(i)]);

describe('SeriesRing', () => {
  it('keeps the newest samples when full and knows from when it is exact', () => {
    const ring = new SeriesRing(4);
    for (let t = 0; t < 6; t++) ring.push(t * 10, t);
    expect(contents(ring)).toEqual([[20, 2], [30, 3], [40, 4], [50, 5]]);
    expect(ring.exactFrom).toBe(20);
    expect(ring.segments().flatMap((s) => Array.from(s.ts))).toEqual([20, 30, 40, 50]);
    ring.push(45, 99);
    expect(ring.lastTs).toBe(50);
  });

  it('puts history before live samples, dropping what overlaps and what does not fit', () => {
    const ring = new SeriesRing(5);
    ring.push(100, 1);
    ring.push(110, 2);
    ring.prepend([40, 50, 60, 70, 100, 120], [4, 5, 6, 7, 8, 9]);
    expect(contents(ring)).toEqual([[50, 5], [60, 6], [70, 7], [100, 1], [110, 2]]);
    expect(ring.exactFrom).toBe(100);
  });

  it('becomes exact from the start of a raw history that fits', () => {
    const ring = new SeriesRing(8);
    ring.push(100, 1);
    ring.prepend([60, 80], [6, 8], 50);
    expect(ring.exactFrom).toBe(50);
    const full = new SeriesRing(2);
    full.push(100, 1);
    full.prepend([60, 80], [6, 8], 50);
    expect(contents(full)).toEqual([[80, 8], [100, 1]]);
    expect(full.exactFrom).toBe(100);
  });
});

/** The same buckets computed the slow, obvious way. */
function naive(samples: [number, number][], from: number, to: number, buckets: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let b = 0; b < buckets; b++) {
    const inside = samples.filter(([t, v]) => Number.isFinite(v) && t >= from && t < to && Math.min(buckets - 1, Math.floor(((t - from) * buckets) / (to - from))) === b);
    if (inside.length === 0) out.push(null, null);
    else {
      const lo = inside.reduce((a, s) => (s[1] < a[1] ? s : a));
      const hi = inside.reduce((a, s) => (s[1] > a[1] ? s : a));
      if (lo === hi) out.push(lo[1], null);
      else out.push(...(lo[0] < hi[0] ? [lo[1], hi[1]] : [hi[1], lo[1]]));
    }
  }
  return out;
}

describe('Binner', () => {
  it('matches a naive per-bucket min/max in time order, across ring segments', () => {
    const sample = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(NaN)));
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 500 }), (raw, buckets, from) => {
        // Distinct, sorted timestamps: a minimum and maximum never share one, as in a real series.
        const samples = [...new Map(raw.map(([t, v]) => [t, v])).entries()].sort((a, b) => a[0] - b[0]);
        const cut = samples.length >> 1;
        const segments: Segment[] = [samples.slice(0, cut), samples.slice(cut)].map((part) => ({ ts: part.map((s) => s[0]), values: part.map((s) => s[1]) }));
        expect(new Binner().bin(segments, from, from + 500, buckets)).toEqual(naive(samples, from, from + 500, buckets));
      }),
    );
  });

  it('places two x positions inside each bucket', () => {
    expect(Binner.xs(0, 100, 2)).toEqual([12.5, 37.5, 62.5, 87.5]);
  });
});
