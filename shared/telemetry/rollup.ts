/**
 * A rollup tier: fixed-width time buckets (width in the series clock's ticks) of aggregates, row by row and append-only
 * (buckets arrive in time order; one that shares the last bucket's start is folded into it).
 */
import type { Aggregate } from './stats.js';

/** Fields of a bucket, stored row by row in one array. */
const START = 0;
const COUNT = 1;
const SUM = 2;
const MIN = 3;
const MIN_TS = 4;
const MAX = 5;
const MAX_TS = 6;
const FIRST_TS = 7;
const FIRST = 8;
const LAST_TS = 9;
const LAST = 10;
const FIELDS = 11;

export const TIER_WIDTHS_MS = [1000, 60_000, 3_600_000] as const;

export class RollupTier {
  length = 0;
  private rows = new Float64Array(8 * FIELDS);

  constructor(readonly width: number) {}

  clear(): void {
    this.length = 0;
  }

  /** Adds samples in time order, in one pass (sum, min and max skip NaN, as in `addSample`). */
  addSamples(ts: Float64Array, values: Float64Array, count = ts.length): void {
    const w = this.width;
    let i = 0;
    while (i < count) {
      const firstTs = ts[i]!;
      const first = values[i]!;
      const start = Math.floor(firstTs / w) * w;
      const end = start + w;
      let n = 0;
      let sum = 0;
      let min = Infinity;
      let minTs = NaN;
      let max = -Infinity;
      let maxTs = NaN;
      for (; i < count; i++) {
        const t = ts[i]!;
        if (t >= end) break;
        const v = values[i]!;
        n++;
        if (v === v) {
          sum += v;
          if (v < min) {
            min = v;
            minTs = t;
          }
          if (v > max) {
            max = v;
            maxTs = t;
          }
        }
      }
      this.push(start, n, sum, min, minTs, max, maxTs, firstTs, first, ts[i - 1]!, values[i - 1]!);
    }
  }

  /** Folds in every bucket of `finer`, a tier whose width divides this one's and whose buckets follow this tier's. */
  addBuckets(finer: RollupTier): void {
    const r = finer.rows;
    const w = this.width;
    for (let i = 0, at = 0; i < finer.length; i++, at += FIELDS) {
      this.push(Math.floor(r[at + START]! / w) * w, r[at + COUNT]!, r[at + SUM]!, r[at + MIN]!, r[at + MIN_TS]!, r[at + MAX]!, r[at + MAX_TS]!, r[at + FIRST_TS]!, r[at + FIRST]!, r[at + LAST_TS]!, r[at + LAST]!);
    }
  }

  private push(start: number, count: number, sum: number, min: number, minTs: number, max: number, maxTs: number, firstTs: number, first: number, lastTs: number, last: number): void {
    let r = this.rows;
    const prev = (this.length - 1) * FIELDS;
    if (prev >= 0 && r[prev + START] === start) {
      r[prev + COUNT] += count;
      r[prev + SUM] += sum;
      if (min < r[prev + MIN]!) {
        r[prev + MIN] = min;
        r[prev + MIN_TS] = minTs;
      }
      if (max > r[prev + MAX]!) {
        r[prev + MAX] = max;
        r[prev + MAX_TS] = maxTs;
      }
      r[prev + LAST_TS] = lastTs;
      r[prev + LAST] = last;
      return;
    }
    const at = this.length * FIELDS;
    if (at === r.length) {
      const grown = new Float64Array(r.length * 2);
      grown.set(r);
      this.rows = r = grown;
    }
    this.length++;
    r[at + START] = start;
    r[at + COUNT] = count;
    r[at + SUM] = sum;
    r[at + MIN] = min;
    r[at + MIN_TS] = minTs;
    r[at + MAX] = max;
    r[at + MAX_TS] = maxTs;
    r[at + FIRST_TS] = firstTs;
    r[at + FIRST] = first;
    r[at + LAST_TS] = lastTs;
    r[at + LAST] = last;
  }

  /** Index of the first bucket starting at or after `ts`. */
  lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid * FIELDS + START]! < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Folds the buckets starting in [from, to) into `into`. */
  mergeRange(from: number, to: number, into: Aggregate): void {
    const r = this.rows;
    for (let at = this.lowerBound(from) * FIELDS; at < this.length * FIELDS && r[at + START]! < to; at += FIELDS) {
      if (into.count === 0) {
        into.firstTs = r[at + FIRST_TS]!;
        into.first = r[at + FIRST]!;
      }
      into.count += r[at + COUNT]!;
      into.sum += r[at + SUM]!;
      into.lastTs = r[at + LAST_TS]!;
      into.last = r[at + LAST]!;
      if (r[at + MIN]! < into.min) {
        into.min = r[at + MIN]!;
        into.minTs = r[at + MIN_TS]!;
      }
      if (r[at + MAX]! > into.max) {
        into.max = r[at + MAX]!;
        into.maxTs = r[at + MAX_TS]!;
      }
    }
  }
}
