/**
 * One series in memory: an open head buffer, sealed chunks and rollup tiers. A sealed chunk keeps its encoded bytes only
 * until a checkpoint has written it to a segment; after that only its header stays in memory and the bytes are read
 * back from the segment when a query needs the raw samples. Every timestamp here is in the series clock's ticks
 * (see clock.ts).
 */
import { decodeChunk, encodeChunk, readChunkHeader, type ChunkHeader, type DecodedChunk } from '../../../shared/telemetry/codec.js';
import { RollupTier, TIER_WIDTHS_MS } from '../../../shared/telemetry/rollup.js';
import type { SeriesKey } from '../../../shared/telemetry/series.js';
import { addSample, mergeAggregate, emptyAggregate, type Aggregate } from '../../../shared/telemetry/stats.js';
import { MAX_TICKS, type SeriesClock } from './clock.js';
import type { ChunkLocation, SegmentFiles } from './segment-files.js';

export const CHUNK_SAMPLES = 4096;
/** A tier is kept only when its buckets hold at least this many samples on average (estimated from the first chunk). */
const MIN_SAMPLES_PER_BUCKET = 8;

export interface SealedChunk {
  /** The encoded chunk while it is only in memory (not yet in a segment). */
  bytes: Uint8Array | undefined;
  /** Where the chunk is in a segment file, once persisted. */
  location: ChunkLocation | undefined;
  firstTs: number;
  lastTs: number;
  stats: Aggregate;
}

/** The most recently decoded chunks (of every series), so that neighbouring queries do not decode or read again. */
class DecodeCache {
  private readonly map = new Map<SealedChunk, DecodedChunk>();
  constructor(private readonly capacity: number) {}
  get(chunk: SealedChunk, load: () => Uint8Array): DecodedChunk {
    let hit = this.map.get(chunk);
    if (hit) this.map.delete(chunk);
    else hit = decodeChunk(load());
    this.map.set(chunk, hit);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return hit;
  }
}

const decodeCache = new DecodeCache(64);

/** Whether tick `t` may follow `last`: an integer within the codec's range, not older. */
const follows = (t: number, last: number) => t >= last && Math.abs(t) <= MAX_TICKS && Math.floor(t) === t;

export class SeriesData {
  readonly chunks: SealedChunk[] = [];
  /** Grown up to CHUNK_SAMPLES as needed: many series see only a few samples. */
  private headTs = new Float64Array(64);
  private headValues = new Float64Array(64);
  private headLength = 0;
  private tiers?: RollupTier[];
  /** Scratch: one chunk's buckets at the finest tier's width, from which the chunk header and every tier are updated. */
  private chunkBuckets?: RollupTier;
  private exponent = 0;
  /** Chunks [0, folded) are in the rollup tiers. */
  private folded = 0;
  count = 0;
  lastTs = -Infinity;
  lastValue = NaN;
  defPersisted: boolean;

  constructor(
    readonly id: number,
    readonly key: SeriesKey,
    readonly clock: SeriesClock,
    private readonly segments: SegmentFiles,
    defPersisted = false,
  ) {
    this.defPersisted = defPersisted;
  }

  /**
   * Appends samples the caller has checked (integer timestamps, none older than `lastTs`). Returns the chunks this
   * sealed, each with how many of its samples the head held before, and how many of the samples stay in the head.
   */
  append(ts: Float64Array, values: Float64Array): { sealed: { chunk: SealedChunk; fromHead: number }[]; inHead: number } {
    const n = ts.length;
    const sealed: { chunk: SealedChunk; fromHead: number }[] = [];
    let at = 0;
    while (at < n) {
      const fromHead = this.headLength;
      const take = Math.min(n - at, CHUNK_SAMPLES - fromHead);
      if (fromHead + take > this.headTs.length) this.growHead(fromHead + take);
      this.headTs.set(ts.subarray(at, at + take), fromHead);
      this.headValues.set(values.subarray(at, at + take), fromHead);
      this.headLength += take;
      at += take;
      if (this.headLength === CHUNK_SAMPLES) sealed.push({ chunk: this.sealHead()!, fromHead });
    }
    if (n > 0) {
      this.count += n;
      this.lastTs = ts[n - 1]!;
      this.lastValue = values[n - 1]!;
    }
    return { sealed, inHead: Math.min(n, this.headLength) };
  }

  private growHead(needed: number): void {
    let size = this.headTs.length;
    while (size < needed) size *= 2;
    const ts = new Float64Array(Math.min(size, CHUNK_SAMPLES));
    const values = new Float64Array(ts.length);
    ts.set(this.headTs.subarray(0, this.headLength));
    values.set(this.headValues.subarray(0, this.headLength));
    this.headTs = ts;
    this.headValues = values;
  }

  /** The samples that may be appended: integer ticks within the codec's range, in time order after `lastTs`. */
  acceptable(ts: Float64Array, values: Float64Array): { ts: Float64Array; values: Float64Array } {
    const n = ts.length;
    let last = this.lastTs;
    let i = 0;
    for (; i < n; i++) {
      const t = ts[i]!;
      if (!follows(t, last)) break;
      last = t;
    }
    if (i === n) return { ts, values };
    const keptTs = Array.from(ts.subarray(0, i));
    const keptValues = Array.from(values.subarray(0, i));
    for (; i < n; i++) {
      const t = ts[i]!;
      if (!follows(t, last)) continue;
      last = t;
      keptTs.push(t);
      keptValues.push(values[i]!);
    }
    return { ts: Float64Array.from(keptTs), values: Float64Array.from(keptValues) };
  }

  /** Encodes the head (if any) into a chunk not yet persisted. */
  sealHead(): SealedChunk | undefined {
    if (this.headLength === 0) return undefined;
    const n = this.headLength;
    const ts = this.headTs.subarray(0, n);
    const values = this.headValues.subarray(0, n);
    const buckets = this.bucketsOf(ts, values);
    const stats = emptyAggregate();
    buckets.mergeRange(-Infinity, Infinity, stats);
    const bytes = encodeChunk(ts, values, this.clock.epochNs, { stats, exponentHint: this.exponent });
    this.exponent = readChunkHeader(bytes).exponent;
    const chunk: SealedChunk = { bytes, location: undefined, firstTs: stats.firstTs, lastTs: stats.lastTs, stats };
    this.addSealed(chunk, buckets);
    this.headLength = 0;
    return chunk;
  }

  /**
   * Replays a chunk record of the WAL: the head's last `fromHead` samples are the chunk's first ones. Samples the head
   * held before them were sealed into a chunk of their own by a checkpoint that did not complete.
   */
  replayChunk(bytes: Uint8Array, fromHead: number): void {
    if (fromHead > this.headLength) throw new Error(`telemetry WAL chunk of series ${this.id} continues ${fromHead} samples, the head has ${this.headLength}`);
    this.headLength -= fromHead;
    this.sealHead();
    const header = this.addLoaded(bytes.slice(), undefined);
    this.count -= fromHead;
    this.exponent = header.exponent;
  }

  /** Adds a chunk of a segment from its header (`bytes` may be a view into the file's bytes: they are not kept). */
  loadChunk(bytes: Uint8Array, location: ChunkLocation): void {
    this.exponent = this.addLoaded(undefined, location, bytes).exponent;
  }

  private addLoaded(bytes: Uint8Array | undefined, location: ChunkLocation | undefined, headerBytes = bytes!): ChunkHeader {
    const header = readChunkHeader(headerBytes);
    const { stats } = header;
    this.addSealed({ bytes, location, firstTs: stats.firstTs, lastTs: stats.lastTs, stats });
    this.count += stats.count;
    this.lastTs = stats.lastTs;
    this.lastValue = stats.last;
    return header;
  }

  /**
   * Adds a sealed chunk. Its samples, in buckets of the finest tier, fold it into the rollup tiers right away when every
   * earlier chunk is folded already; otherwise `foldChunks` decodes it later (after open, in the background).
   */
  private addSealed(chunk: SealedChunk, buckets?: RollupTier): void {
    if (!this.tiers) this.chooseTiers(chunk.stats.firstTs, chunk.stats.lastTs, chunk.stats.count);
    this.chunks.push(chunk);
    if (buckets && this.folded === this.chunks.length - 1) {
      this.addToTiers(buckets);
      this.folded++;
    }
  }

  /** Folds up to `maxChunks` more sealed chunks into the rollup tiers, in order; returns whether all are folded. */
  foldChunks(maxChunks: number): boolean {
    for (let n = 0; n < maxChunks && this.folded < this.chunks.length; n++) {
      const chunk = this.chunks[this.folded]!;
      const { ts, values } = decodeChunk(this.bytesOf(chunk));
      this.addToTiers(this.bucketsOf(ts, values));
      this.folded++;
    }
    return this.folded === this.chunks.length;
  }

  /** Tiers are chosen from the first chunk's sample interval. */
  private chooseTiers(firstTs: number, lastTs: number, count: number): void {
    const interval = count > 1 ? (lastTs - firstTs) / (count - 1) : 1000 * this.clock.ticksPerMs;
    const widths = TIER_WIDTHS_MS.map((ms) => ms * this.clock.ticksPerMs);
    this.tiers = widths.filter((w, i) => i === widths.length - 1 || w >= MIN_SAMPLES_PER_BUCKET * interval).map((w) => new RollupTier(w));
    this.chunkBuckets = new RollupTier(this.tiers[0]!.width);
  }

  /** The samples of one chunk split into buckets of the finest tier. */
  private bucketsOf(ts: Float64Array, values: Float64Array): RollupTier {
    if (!this.tiers) this.chooseTiers(ts[0]!, ts[ts.length - 1]!, ts.length);
    const buckets = this.chunkBuckets!;
    buckets.clear();
    buckets.addSamples(ts, values);
    return buckets;
  }

  private addToTiers(buckets: RollupTier): void {
    for (const tier of this.tiers!) tier.addBuckets(buckets);
  }

  private decoded(chunk: SealedChunk): DecodedChunk {
    return decodeCache.get(chunk, () => this.bytesOf(chunk));
  }

  /** The encoded chunk: in memory until persisted, then read back from its segment. */
  private bytesOf(chunk: SealedChunk): Uint8Array {
    return chunk.bytes ?? this.segments.read(chunk.location!);
  }

  /** Aggregate of the samples with timestamps in [from, to). */
  aggregate(from: number, to: number): Aggregate {
    const out = emptyAggregate();
    // The tiers hold the folded chunks: samples before the first unfolded chunk.
    const folded = this.folded < this.chunks.length ? this.chunks[this.folded]!.firstTs : Infinity;
    this.aggregateSealed(from, Math.min(to, folded), (this.tiers?.length ?? 0) - 1, out);
    if (to > folded) this.aggregateChunks(Math.max(from, folded), to, out);
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
      const { ts, values } = this.decoded(chunk);
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
      const d = this.decoded(this.chunks[c]!);
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
