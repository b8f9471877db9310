/** Aggregates kept in chunk headers and rollup buckets: enough for avg and for M4 (min/max/first/last with times). */
export interface Aggregate {
  count: number;
  /** Sum, min and max ignore NaN samples; min is +Infinity and max -Infinity when there are none. */
  sum: number;
  min: number;
  minTs: number;
  max: number;
  maxTs: number;
  firstTs: number;
  first: number;
  lastTs: number;
  last: number;
}

export function emptyAggregate(): Aggregate {
  return { count: 0, sum: 0, min: Infinity, minTs: NaN, max: -Infinity, maxTs: NaN, firstTs: NaN, first: NaN, lastTs: NaN, last: NaN };
}

/** Adds one sample; samples must arrive in time order. */
export function addSample(a: Aggregate, ts: number, value: number): void {
  if (a.count === 0) {
    a.firstTs = ts;
    a.first = value;
  }
  a.count++;
  a.lastTs = ts;
  a.last = value;
  if (value === value) {
    a.sum += value;
    if (value < a.min) {
      a.min = value;
      a.minTs = ts;
    }
    if (value > a.max) {
      a.max = value;
      a.maxTs = ts;
    }
  }
}

/** Folds `b` into `a`; `b` must not start before `a` ends. */
export function mergeAggregate(a: Aggregate, b: Aggregate): void {
  if (b.count === 0) return;
  if (a.count === 0) {
    a.firstTs = b.firstTs;
    a.first = b.first;
  }
  a.count += b.count;
  a.sum += b.sum;
  a.lastTs = b.lastTs;
  a.last = b.last;
  if (b.min < a.min) {
    a.min = b.min;
    a.minTs = b.minTs;
  }
  if (b.max > a.max) {
    a.max = b.max;
    a.maxTs = b.maxTs;
  }
}

export function aggregateOf(ts: ArrayLike<number>, values: ArrayLike<number>, from = 0, to = ts.length): Aggregate {
  const a = emptyAggregate();
  for (let i = from; i < to; i++) addSample(a, ts[i]!, values[i]!);
  return a;
}
