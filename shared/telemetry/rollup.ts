/** A rollup tier: fixed-width time buckets (width in the series clock ticks) of aggregates, columnar and append-only (buckets arrive in time order). */
import { addSample, emptyAggregate, mergeAggregate, type Aggregate } from './stats.js';

const COLUMNS = ['start', 'count', 'sum', 'min', 'minTs', 'max', 'maxTs', 'firstTs', 'first', 'lastTs', 'last'] as const;
type Column = (typeof COLUMNS)[number];

export const TIER_WIDTHS_MS = [1000, 60_000, 3_600_000] as const;

export class RollupTier {
  length = 0;
  private cols: Record<Column, Float64Array>;

  constructor(readonly width: number) {
    this.cols = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(64)])) as Record<Column, Float64Array>;
  }

  /** Adds sorted samples: buckets continue the last one when they share its start. */
  addSamples(ts: Float64Array, values: Float64Array, count = ts.length): void {
    const w = this.width;
    let i = 0;
    while (i < count) {
      const start = Math.floor(ts[i]! / w) * w;
      const end = start + w;
      const a = emptyAggregate();
      while (i < count && ts[i]! < end) {
        addSample(a, ts[i]!, values[i]!);
        i++;
      }
      this.addBucket(start, a);
    }
  }

  private addBucket(start: number, a: Aggregate): void {
    const c = this.cols;
    const last = this.length - 1;
    if (last >= 0 && c.start[last] === start) {
      const merged = this.aggregateAt(last);
      mergeAggregate(merged, a);
      this.write(last, start, merged);
      return;
    }
    if (this.length === c.start.length) {
      for (const name of COLUMNS) {
        const grown = new Float64Array(c[name].length * 2);
        grown.set(c[name]);
        c[name] = grown;
      }
    }
    this.write(this.length++, start, a);
  }

  private write(i: number, start: number, a: Aggregate): void {
    const c = this.cols;
    c.start[i] = start;
    c.count[i] = a.count;
    c.sum[i] = a.sum;
    c.min[i] = a.min;
    c.minTs[i] = a.minTs;
    c.max[i] = a.max;
    c.maxTs[i] = a.maxTs;
    c.firstTs[i] = a.firstTs;
    c.first[i] = a.first;
    c.lastTs[i] = a.lastTs;
    c.last[i] = a.last;
  }

  aggregateAt(i: number): Aggregate {
    const c = this.cols;
    return {
      count: c.count[i]!, sum: c.sum[i]!, min: c.min[i]!, minTs: c.minTs[i]!, max: c.max[i]!, maxTs: c.maxTs[i]!,
      firstTs: c.firstTs[i]!, first: c.first[i]!, lastTs: c.lastTs[i]!, last: c.last[i]!,
    };
  }

  /** Index of the first bucket starting at or after `ts`. */
  lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cols.start[mid]! < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Folds the buckets starting in [from, to) into `into`. */
  mergeRange(from: number, to: number, into: Aggregate): void {
    const c = this.cols;
    for (let i = this.lowerBound(from); i < this.length && c.start[i]! < to; i++) {
      if (into.count === 0) {
        into.firstTs = c.firstTs[i]!;
        into.first = c.first[i]!;
      }
      into.count += c.count[i]!;
      into.sum += c.sum[i]!;
      into.lastTs = c.lastTs[i]!;
      into.last = c.last[i]!;
      if (c.min[i]! < into.min) {
        into.min = c.min[i]!;
        into.minTs = c.minTs[i]!;
      }
      if (c.max[i]! > into.max) {
        into.max = c.max[i]!;
        into.maxTs = c.maxTs[i]!;
      }
    }
  }
}
