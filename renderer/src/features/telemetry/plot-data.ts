/**
 * Plot data without garbage: each series lives in a ring of typed arrays, and a frame is drawn from per-pixel buckets
 * (the min and max of each bucket, in time order, which is what a line at that width shows anyway), so the cost of a
 * frame depends on the samples in view once and on the plot width, not on how many points uPlot would draw.
 */

/** A contiguous run of samples in time order. */
export interface Segment {
  ts: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Samples a ring holds: an hour at 10 Hz with room to spare. */
export const RING_CAPACITY = 1 << 16;

export class SeriesRing {
  private ts: Float64Array;
  private values: Float64Array;
  private start = 0;
  length = 0;
  /** Samples at or after this time are all here (older ones may be a downsampled seed or gone). */
  exactFrom = Infinity;

  constructor(readonly capacity = RING_CAPACITY) {
    this.ts = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Appends live samples (older than the newest are dropped, as the store does). */
  push(ts: number, value: number): void {
    if (this.length > 0 && ts < this.lastTs) return;
    if (this.exactFrom === Infinity) this.exactFrom = ts;
    if (this.length === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.length--;
      this.exactFrom = Math.max(this.exactFrom, this.tsAt(0));
    }
    const at = (this.start + this.length) % this.capacity;
    this.ts[at] = ts;
    this.values[at] = value;
    this.length++;
  }

  /**
   * Puts older samples (history from the store) before what is here; those not older than our first are ignored.
   * `exactFrom`: the history holds every sample from then on (a raw range, not a downsampled selection).
   */
  prepend(ts: ArrayLike<number>, values: ArrayLike<number>, exactFrom?: number): void {
    const first = this.length > 0 ? this.tsAt(0) : Infinity;
    let n = 0;
    while (n < ts.length && ts[n]! < first) n++;
    const keep = this.length;
    const take = Math.min(n, this.capacity - keep);
    const nextTs = new Float64Array(this.capacity);
    const nextValues = new Float64Array(this.capacity);
    for (let i = 0; i < take; i++) {
      nextTs[i] = ts[n - take + i]!;
      nextValues[i] = values[n - take + i]!;
    }
    for (let i = 0; i < keep; i++) {
      nextTs[take + i] = this.tsAt(i);
      nextValues[take + i] = this.valueAt(i);
    }
    this.ts = nextTs;
    this.values = nextValues;
    this.start = 0;
    this.length = take + keep;
    if (exactFrom !== undefined && take === n) this.exactFrom = Math.min(this.exactFrom, exactFrom);
  }

  tsAt(i: number): number {
    return this.ts[(this.start + i) % this.capacity]!;
  }

  valueAt(i: number): number {
    return this.values[(this.start + i) % this.capacity]!;
  }

  get lastTs(): number {
    return this.length > 0 ? this.tsAt(this.length - 1) : -Infinity;
  }

  get lastValue(): number {
    return this.length > 0 ? this.valueAt(this.length - 1) : NaN;
  }

  get firstTs(): number {
    return this.length > 0 ? this.tsAt(0) : Infinity;
  }

  /** The samples as at most two contiguous views, oldest first (no copying). */
  segments(): Segment[] {
    const end = this.start + this.length;
    if (end <= this.capacity) return [{ ts: this.ts.subarray(this.start, end), values: this.values.subarray(this.start, end) }];
    return [
      { ts: this.ts.subarray(this.start), values: this.values.subarray(this.start) },
      { ts: this.ts.subarray(0, end - this.capacity), values: this.values.subarray(0, end - this.capacity) },
    ];
  }
}

export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scratch space reused across frames. */
export class Binner {
  private first = new Float64Array(0);
  private second = new Float64Array(0);
  private firstTs = new Float64Array(0);
  private secondTs = new Float64Array(0);

  /** x positions: two per bucket, at a quarter and three quarters of its width. */
  static xs(from: number, to: number, buckets: number): number[] {
    const w = (to - from) / buckets;
    const x = new Array<number>(buckets * 2);
    for (let i = 0; i < buckets; i++) {
      x[2 * i] = from + w * (i + 0.25);
      x[2 * i + 1] = from + w * (i + 0.75);
    }
    return x;
  }

  /**
   * One series over [from, to) in `buckets` buckets, aligned with `xs`: per bucket its min and max in time order
   * (a lone sample fills the first slot), null where a bucket is empty. NaN and ±Infinity samples are skipped.
   */
  bin(segments: readonly Segment[], from: number, to: number, buckets: number): (number | null)[] {
    if (this.first.length < buckets) {
      this.first = new Float64Array(buckets);
      this.second = new Float64Array(buckets);
      this.firstTs = new Float64Array(buckets);
      this.secondTs = new Float64Array(buckets);
    }
    const { first: min, second: max, firstTs: minTs, secondTs: maxTs } = this;
    minTs.fill(NaN, 0, buckets);
    const scale = buckets / (to - from);
    for (const { ts, values } of segments) {
      for (let i = lowerBound(ts, from), n = ts.length; i < n; i++) {
        const t = ts[i]!;
        if (t >= to) break;
        const v = values[i]!;
        if (!Number.isFinite(v)) continue;
        const b = Math.min(buckets - 1, Math.floor((t - from) * scale));
        if (minTs[b] !== minTs[b]) {
          min[b] = max[b] = v;
          minTs[b] = maxTs[b] = t;
        } else if (v < min[b]!) {
          min[b] = v;
          minTs[b] = t;
        } else if (v > max[b]!) {
          max[b] = v;
          maxTs[b] = t;
        }
      }
    }
    const y = new Array<number | null>(buckets * 2);
    for (let b = 0; b < buckets; b++) {
      if (minTs[b] !== minTs[b]) {
        y[2 * b] = y[2 * b + 1] = null;
      } else if (minTs[b] === maxTs[b]) {
        y[2 * b] = min[b]!;
        y[2 * b + 1] = null;
      } else {
        const minFirst = minTs[b]! < maxTs[b]!;
        y[2 * b] = minFirst ? min[b]! : max[b]!;
        y[2 * b + 1] = minFirst ? max[b]! : min[b]!;
      }
    }
    return y;
  }
}
