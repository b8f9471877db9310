/**
 * How a series counts time. Internally every timestamp is a number of ticks since the series' epoch: for `ms` series
 * the tick is a millisecond and the epoch is 1970; for `ns` series the tick is a nanosecond and the epoch is the UTC
 * midnight before the first sample (so that tick counts stay exact in a float64 and rollup grids stay on whole seconds).
 */
export type TimeUnit = 'ms' | 'ns';

const NS_PER_MS = 1_000_000n;
const NS_PER_DAY = 86_400_000_000_000n;
/** The codec keeps timestamps exact within ±2^52 ticks of the epoch: about 52 days of nanoseconds. */
export const MAX_TICKS = 2 ** 52;

export class SeriesClock {
  readonly ticksPerMs: number;
  readonly epochMs: number;

  constructor(
    readonly unit: TimeUnit,
    readonly epochNs: bigint,
  ) {
    this.ticksPerMs = unit === 'ms' ? 1 : 1e6;
    this.epochMs = Number(epochNs / NS_PER_MS);
  }

  static ms(): SeriesClock {
    return new SeriesClock('ms', 0n);
  }

  static nsFrom(firstNs: bigint): SeriesClock {
    const day = firstNs >= 0n ? firstNs / NS_PER_DAY : (firstNs - NS_PER_DAY + 1n) / NS_PER_DAY;
    return new SeriesClock('ns', day * NS_PER_DAY);
  }

  /** Ticks for a millisecond time (fractional for ns series when the ms is). */
  ticksFromMs(ms: number): number {
    return this.unit === 'ms' ? ms : (ms - this.epochMs) * 1e6;
  }

  msFromTicks(ticks: number): number {
    return this.unit === 'ms' ? ticks : this.epochMs + ticks / 1e6;
  }

  /** Ticks for a nanosecond time; ms series round down to the millisecond. */
  ticksFromNs(ns: bigint): number {
    if (this.unit === 'ms') return Number(ns >= 0n ? ns / NS_PER_MS : (ns - NS_PER_MS + 1n) / NS_PER_MS);
    return Number(ns - this.epochNs);
  }

  nsFromTicks(ticks: number): bigint {
    return this.unit === 'ms' ? BigInt(ticks) * NS_PER_MS : this.epochNs + BigInt(ticks);
  }
}
