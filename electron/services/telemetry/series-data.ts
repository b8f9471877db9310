/**
 * One series in memory: an open head buffer, sealed chunks (headers kept for aggregates) and rollup tiers.
 * Every timestamp here is in the series clock's ticks (see clock.ts).
 */
import { decodeChunk, encodeChunk, readChunkHeader, type DecodedChunk } from '../../../shared/telemetry/codec.js';
import { RollupTier, TIER_WIDTHS_MS } from '../../../shared/telemetry/rollup.js';
import type { SeriesKey } from '../../../shared/telemetry/series.js';
import { addSample, mergeAggregate, emptyAggregate, type Aggregate } from '../../../shared/telemetry/stats.js';
import { MAX_TICKS, type SeriesClock } from './clock.js';

export const CHUNK_SAMPLES = 4096;
/** A tier is kept only when its buckets hold at least this many samples on average (estimated from the first chunk). */
const MIN_SAMPLES_PER_BUCKET = 8;

export interface SealedChunk {
  bytes: Uint8Array;
  firstTs: number;
  lastTs: number;
  stats: Aggregate;
  persisted: boolean;
}

class DecodeCache {
  private readonly map = new Map<Uint8Array, DecodedChunk>();
  constructor(private readonly capacity: number) {}
  get(bytes: Uint8Array): DecodedChunk {
    let hit = this.map.get(bytes);
    if (hit) this.map.delete(bytes);
    else hit = decodeChunk(bytes);
    this.map.set(bytes, hit);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return hit;
  }
}

const decodeCache = new DecodeCache(64);

export class SeriesData {
  readonly chunks: SealedChunk[] = [];
  private headTs = new Float64Array(CHUNK_SAMPLES);
  private headValues = new Float64Array(CHUNK_SAMPLES);
  private headLength = 0;
  private tiers?: RollupTier[];
  count = 0;
  lastTs = -Infinity;
  lastValue = NaN;
  defPersisted: boolean;

  constructor(
    readonly id: number,
    readonly key: SeriesKey,
    readonly clock: SeriesClock,
    defPersisted = false,
  ) {
    this.defPersisted = defPersisted;
  }

  /** Appends samples the caller has checked: integer timestamps, none older than `lastTs`. */
  append(ts: Float64Array, values: Float64Array): void {
    const n = ts.length;
    for (let i = 0; i < n; i++) {
      this.headTs[this.headLength] = ts[i]!;
      this.headValues[this.headLength] = values[i]!;
      if (++this.headLength === CHUNK_SAMPLES) this.sealHead();
    }
    if (n > 0) {
      this.count += n;
      this.lastTs = ts[n - 1]!;
      this.lastValue = values[n - 1]!;
    }
  }

  /** The samples that may be appended: integer ticks within the codec's range, in time order after `lastTs`. */
  acceptable(ts: Float64Array, values: Float64Array): { ts: Float64Array; values: Float64Array } {
    const ok = (t: number, last: number) => t >= last && Number.isInteger(t) && Math.abs(t) <= MAX_TICKS;
    let last = this.lastTs;
    let i = 0;
    for (; i < ts.length && ok(ts[i]!, last); i++) last = ts[i]!;
    if (i === ts.length) return { ts, values };
    const keptTs = Array.from(ts.subarray(0, i));
    const keptValues = Array.from(values.subarray(0, i));
    for (; i < ts.length; i++) {
      if (!ok(ts[i]!, last)) continue;
      last = ts[i]!;
      keptTs.push(last);
      keptValues.push(values[i]!);
    }
    return { ts: Float64Array.from(keptTs), values: Float64Array.from(keptValues) };
  }

  /** Encodes the head (if any) into a chunk not yet persisted. */
  sealHead(): void {
    if (this.headLength === 0) return;
    const n = this.headLength;
    const ts = this.headTs.subarray(0, n);
    const values = this.headValues.subarray(0, n);
    const bytes = encodeChunk(ts, values, this.clock.epochNs);
    this.addChunk(bytes, false, ts, values);
    this.headTs = new Float64Array(CHUNK_SAMPLES);
    this.headValues = new Float64Array(CHUNK_SAMPLES);
    this.headLength = 0;
  }

  /** Adds a chunk read back from disk. */
  loadChunk(bytes: Uint8Array): void {
    const { ts, values, stats } = decodeChunk(bytes);
    this.addChunk(bytes, true, ts, values);
    this.count += stats.count;
    this.lastTs = stats.lastTs;
    this.lastValue = stats.last;
  }

  private addChunk(bytes: Uint8Array, persisted: boolean, ts: Float64Array, values: Float64Array): void {
    const { stats } = readChunkHeader(bytes);
    this.chunks.push({ bytes, firstTs: stats.firstTs, lastTs: stats.lastTs, stats, persisted });
    if (!this.tiers) {
      const interval = ts.length > 1 ? (ts[ts.length - 1]! - ts[0]!) / (ts.length - 1) : 1000 * this.clock.ticksPerMs;
      const widths = TIER_WIDTHS_MS.map((ms) => ms * this.clock.ticksPerMs);
      this.tiers = widths.filter((w, i) => i === widths.length - 1 || w >= MIN_SAMPLES_PER_BUCKET * interval).map((w) => new RollupTier(w));
    }
    for (const tier of this.tiers) tier.addSamples(ts, values);
  }

  /** Aggregate of the samples with timestamps in [from, to). */
  aggregate(from: number, to: number): Aggregate {
    const out = emptyAggregate();
    this.aggregateSealed(from, to, (this.tiers?.length ?? 0) - 1, out);
    const head = this.headTs;
    for (let i = lowerBound(head, from, this.headLength); i < this.headLength && head[i]! < to; i++) addSample(out, head[i]!, this.headValues[i]!);
    return out;
  }

  private aggregateSealed(from: number, to: number, level: number, out: Aggregate): void {
    if (from >= to) return;
    if (level < 0) return this.aggregateChunks(from, to, out);
    const tier = this.tiers![level]!;
    const w = tier.width;
    const start = Math.ceil(from / w) * w;
    const end = Math.floor(to / w) * w;
    if (start >= end) return this.aggregateSealed(from, to, level - 1, out);
    this.aggregateSealed(from, start, level - 1, out);
    tier.mergeRange(start, end, out);
    this.aggregateSealed(end, to, level - 1, out);
  }

  private aggregateChunks(from: number, to: number, out: Aggregate): void {
    for (let c = this.firstChunkEndingAtOrAfter(from); c < this.chunks.length && this.chunks[c]!.firstTs < to; c++) {
      const chunk = this.chunks[c]!;
      if (chunk.firstTs >= from && chunk.lastTs < to) {
        mergeAggregate(out, chunk.stats);
        continue;
      }
      const { ts, values } = decodeCache.get(chunk.bytes);
      for (let i = lowerBound(ts, from, ts.length); i < ts.length && ts[i]! < to; i++) addSample(out, ts[i]!, values[i]!);
    }
  }

  /** Raw samples with timestamps in [from, to), at most `limit`. */
  range(from: number, to: number, limit = Infinity): { ts: Float64Array; values: Float64Array } {
    const ts: number[] = [];
    const values: number[] = [];
    const take = (t: Float64Array, v: Float64Array, n: number) => {
      for (let i = lowerBound(t, from, n); i < n && t[i]! < to && ts.length < limit; i++) {
        ts.push(t[i]!);
        values.push(v[i]!);
      }
    };
    for (let c = this.firstChunkEndingAtOrAfter(from); c < this.chunks.length && this.chunks[c]!.firstTs < to && ts.length < limit; c++) {
      const d = decodeCache.get(this.chunks[c]!.bytes);
      take(d.ts, d.values, d.ts.length);
    }
    take(this.headTs, this.headValues, this.headLength);
    return { ts: Float64Array.from(ts), values: Float64Array.from(values) };
  }

  get firstTs(): number {
    return this.chunks[0]?.firstTs ?? (this.headLength > 0 ? this.headTs[0]! : NaN);
  }

  private firstChunkEndingAtOrAfter(ts: number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunks[mid]!.lastTs < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(sorted: Float64Array, value: number, length: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
