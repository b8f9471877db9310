/** Bucketed downsampling results: per-bucket min/max/avg/last and the M4 point selection (first/min/max/last). */
import type { Aggregate } from './stats.js';

export interface DownsampleResult {
  from: number;
  to: number;
  buckets: number;
  /** Bucket i covers [from + i*width, from + (i+1)*width). */
  bucketWidth: number;
  count: Float64Array;
  min: Float64Array;
  max: Float64Array;
  avg: Float64Array;
  last: Float64Array;
  /** M4: per bucket the first, min, max and last samples, de-duplicated, in time order. Drawing these is pixel-exact. */
  m4: { ts: Float64Array; values: Float64Array };
}

export function bucketEdges(from: number, to: number, buckets: number): Float64Array {
  if (!(to > from) || !Number.isInteger(buckets) || buckets < 1) throw new RangeError('need from < to and a positive whole number of buckets');
  const edges = new Float64Array(buckets + 1);
  for (let i = 0; i <= buckets; i++) edges[i] = from + ((to - from) * i) / buckets;
  edges[buckets] = to;
  return edges;
}

export function downsampleResult(from: number, to: number, aggregates: Aggregate[]): DownsampleResult {
  const n = aggregates.length;
  const r: DownsampleResult = {
    from, to, buckets: n, bucketWidth: (to - from) / n,
    count: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n), avg: new Float64Array(n), last: new Float64Array(n),
    m4: { ts: new Float64Array(0), values: new Float64Array(0) },
  };
  const ts: number[] = [];
  const values: number[] = [];
  aggregates.forEach((a, i) => {
    r.count[i] = a.count;
    r.min[i] = a.count ? a.min : NaN;
    r.max[i] = a.count ? a.max : NaN;
    r.avg[i] = a.count ? a.sum / a.count : NaN;
    r.last[i] = a.count ? a.last : NaN;
    if (a.count === 0) return;
    const picks: [number, number][] = [[a.firstTs, a.first], [a.lastTs, a.last]];
    if (a.min <= a.max) picks.push([a.minTs, a.min], [a.maxTs, a.max]);
    picks.sort((x, y) => x[0] - y[0]);
    let prevTs = NaN;
    for (const [t, v] of picks) {
      if (t === prevTs) continue;
      prevTs = t;
      ts.push(t);
      values.push(v);
    }
  });
  r.m4 = { ts: Float64Array.from(ts), values: Float64Array.from(values) };
  return r;
}

/**
 * Widens [from, to) to at most `buckets` + 1 buckets whose width is a whole number of `gridMs` and whose edges sit on
 * the grid. Bucket edges on the 1 s grid fall on rollup boundaries, so the query never decodes raw chunks; the plot
 * maps exactly these buckets to pixel columns (M4 stays pixel-exact). Windows narrower than `buckets` grid steps are
 * returned unchanged (they hold few samples per bucket anyway).
 */
export function alignedWindow(from: number, to: number, buckets: number, gridMs = 1000): { from: number; to: number; buckets: number } {
  if (!(to > from) || buckets < 1) throw new RangeError('need from < to and at least one bucket');
  if ((to - from) / buckets < gridMs) return { from, to, buckets };
  const width = Math.ceil((to - from) / buckets / gridMs) * gridMs;
  const start = Math.floor(from / gridMs) * gridMs;
  const n = Math.ceil((to - start) / width);
  return { from: start, to: start + n * width, buckets: n };
}
