/**
 * The telemetry store: series of (ms timestamp, float64) samples, durable through the shared write-ahead log.
 *
 * Write path: samples are checked (integer ms, time order per series), applied to memory and appended to the WAL;
 * `append` resolves once the WAL frame is fsync'ed. A checkpoint rotates the WAL, seals every head into a chunk, writes
 * all unpersisted chunks as one segment file `seg-<generation>.tks` (atomic), then drops the WAL generations it covers.
 * Open loads the segments' chunk headers, then replays WAL frames newer than the last segment; the rollup tiers are
 * rebuilt in the background (`rollupsReady`). Sealed chunks already in a segment are read back from it when needed.
 */
import { readdir, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bucketEdges, downsampleResult, type DownsampleResult } from '../../../shared/telemetry/downsample.js';
import { seriesId, type Sample, type SeriesKey } from '../../../shared/telemetry/series.js';
import { writeFileAtomic, isAtomicTempFile, removeDurably } from '../storage/atomic-file.js';
import { WriteAheadLog, decodeFrames, encodeFrame, FRAME_HEADER_BYTES, type WalRepair } from '../storage/wal.js';
import { decodeRecords, encodeRecords, type DecodedRecord, type StoreRecord } from './records.js';
import { SeriesClock, type TimeUnit } from './clock.js';
import { SeriesData } from './series-data.js';
import { SegmentFiles } from './segment-files.js';

export interface SeriesInfo {
  id: string;
  key: SeriesKey;
  /** Resolution the series keeps: `ms`, or `ns` for series written with `appendNs`. */
  timeUnit: TimeUnit;
  count: number;
  firstTs: number;
  /** Last-seen sample time (ms). */
  lastTs: number;
  lastValue: number;
}

export interface AppendResult {
  accepted: number;
  /** Samples refused: timestamp not a whole tick (ms or ns), older than the series' last sample, or out of range. */
  rejected: number;
}

/** Raw samples; times in ms (fractional for ns series), plus exact nanoseconds for ns series. */
export interface RawRange {
  ts: Float64Array;
  values: Float64Array;
  tsNs?: BigInt64Array;
}

export interface StoreOptions {
  /** WAL bytes after which a checkpoint starts in the background. */
  checkpointBytes?: number;
  onError?: (error: Error) => void;
}

const SEGMENT = /^seg-(\d{10})\.tks$/;
/** Chunks folded into the rollup tiers per slice of the background rebuild after open (about 1M samples). */
const FOLD_SLICE_CHUNKS = 256;

/** Where a data folder keeps its telemetry store. */
export const telemetryDirOf = (dataDir: string) => join(dataDir, 'telemetry');

export class TelemetryStore {
  private readonly byId = new Map<number, SeriesData>();
  private readonly byName = new Map<string, SeriesData>();
  private readonly segments = new SegmentFiles();
  private walBytes = 0;
  /**
   * Resolves once the rollup tiers hold every chunk loaded at open: open reads only chunk headers, and the tiers are
   * rebuilt in the background, a slice at a time. Queries are exact before that, only slower (they decode chunks).
   */
  rollupsReady: Promise<void> = Promise.resolve();
  private checkpointing: Promise<void> | null = null;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly wal: WriteAheadLog,
    private readonly options: StoreOptions,
    /** What open had to cut from torn WAL tails. */
    readonly repairs: WalRepair[],
  ) {}

  static async open(dir: string, options: StoreOptions = {}): Promise<TelemetryStore> {
    await mkdir(dir, { recursive: true });
    const segments: { generation: number; file: string }[] = [];
    for (const name of await readdir(dir)) {
      const m = SEGMENT.exec(name);
      if (m) segments.push({ generation: Number(m[1]), file: join(dir, name) });
      else if (isAtomicTempFile(name)) await removeDurably(join(dir, name));
    }
    segments.sort((a, b) => a.generation - b.generation);
    const { wal, frames, repairs } = await WriteAheadLog.open(join(dir, 'wal'), { name: 'telemetry' });
    const store = new TelemetryStore(dir, wal, options, repairs);
    for (const { file } of segments) {
      const bytes = await readFile(file);
      const { payloads, validBytes } = decodeFrames(bytes);
      if (validBytes !== bytes.length) throw new Error(`telemetry segment ${file} is corrupt at byte ${validBytes}`);
      for (const payload of payloads) store.apply(decodeRecords(payload), { file, offset: payload.byteOffset - bytes.byteOffset });
    }
    // Every WAL generation ends where a checkpoint sealed all heads (even one whose segment never got written), and
    // this process appends to a new generation: replay seals the heads at the same points, so that the WAL's chunk
    // records (which continue the head) line up.
    const covered = segments.at(-1)?.generation ?? 0;
    let replaying: number | undefined;
    for (const frame of frames) {
      if (frame.generation <= covered) continue;
      if (replaying !== undefined && frame.generation !== replaying) store.sealHeads();
      replaying = frame.generation;
      store.apply(decodeRecords(frame.payload));
    }
    if (replaying !== undefined) store.sealHeads();
    while (wal.currentGeneration <= covered) wal.rotate();
    store.rollupsReady = store.foldRollups();
    return store;
  }

  /** Applies records of a WAL frame, or of a segment frame whose payload starts at `segment.offset` in its file. */
  private apply(records: DecodedRecord[], segment?: { file: string; offset: number }): void {
    for (const r of records) {
      if (r.kind === 'series') this.register(r.id, r.key, new SeriesClock(r.unit, r.epochNs), segment !== undefined);
      else {
        const series = this.byId.get(r.id);
        if (!series) throw new Error(`telemetry record for unknown series ${r.id}`);
        if (r.kind === 'samples') series.append(r.ts, r.values);
        else if (segment) series.loadChunk(r.bytes, { file: segment.file, offset: segment.offset + r.at, length: r.bytes.length });
        else series.replayChunk(r.bytes, r.fromHead);
      }
    }
  }

  private async foldRollups(): Promise<void> {
    try {
      for (const series of this.byId.values()) {
        do await new Promise<void>((resolve) => setImmediate(resolve));
        while (!this.closed && !series.foldChunks(FOLD_SLICE_CHUNKS));
      }
    } catch (error) {
      this.options.onError?.(error as Error);
    }
  }

  private sealHeads(): void {
    for (const series of this.byId.values()) series.sealHead();
  }

  private register(id: number, key: SeriesKey, clock: SeriesClock, persisted: boolean): SeriesData {
    const series = new SeriesData(id, key, clock, this.segments, persisted);
    this.byId.set(id, series);
    this.byName.set(seriesId(key), series);
    return series;
  }

  /** Appends samples of many series; resolves once they are durable. */
  async append(samples: readonly Sample[]): Promise<AppendResult> {
    const groups = new Map<string, { key: SeriesKey; ts: number[]; values: number[] }>();
    for (const s of samples) {
      // Cheaper than seriesId() per sample, and as unambiguous: every part but the last is length-prefixed.
      const { device, sensor, field, unit } = s.key;
      const id = `${device.length}:${device}${sensor.length}:${sensor}${field.length}:${field}${unit}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { key: s.key, ts: [], values: [] }));
      g.ts.push(s.ts);
      g.values.push(s.value);
    }
    return this.appendGroups([...groups.values()].map((g) => ({ key: g.key, ms: Float64Array.from(g.ts), values: Float64Array.from(g.values) })));
  }

  /** Columnar fast path for one series, times in ms. */
  appendColumns(key: SeriesKey, ts: Float64Array, values: Float64Array): Promise<AppendResult> {
    if (ts.length !== values.length) return Promise.reject(new RangeError('timestamps and values differ in length'));
    return this.appendGroups([{ key, ms: ts, values }]);
  }

  /** Nanosecond timestamps; a new series created this way keeps nanoseconds (within 52 days of its first day). */
  appendNs(key: SeriesKey, tsNs: BigInt64Array, values: Float64Array): Promise<AppendResult> {
    if (tsNs.length !== values.length) return Promise.reject(new RangeError('timestamps and values differ in length'));
    return this.appendGroups([{ key, ns: tsNs, values }]);
  }

  private async appendGroups(groups: ({ key: SeriesKey; values: Float64Array } & ({ ms: Float64Array } | { ns: BigInt64Array }))[]): Promise<AppendResult> {
    if (this.closed) throw new Error('telemetry store is closed');
    const records: StoreRecord[] = [];
    let accepted = 0;
    let rejected = 0;
    for (const g of groups) {
      if (g.values.length === 0) continue;
      let series = this.byName.get(seriesId(g.key));
      if (!series) {
        const clock = 'ns' in g ? SeriesClock.nsFrom(g.ns[0]!) : SeriesClock.ms();
        series = this.register(this.byId.size + 1, { device: g.key.device, sensor: g.key.sensor, field: g.key.field, unit: g.key.unit }, clock, false);
        records.push({ kind: 'series', id: series.id, key: series.key, unit: clock.unit, epochNs: clock.epochNs });
      }
      const clock = series.clock;
      const ticks = 'ns' in g ? Float64Array.from(g.ns, (ns) => clock.ticksFromNs(ns)) : clock.unit === 'ms' ? g.ms : g.ms.map((ms) => clock.ticksFromMs(ms));
      const { ts, values } = series.acceptable(ticks, g.values);
      rejected += g.values.length - ts.length;
      accepted += ts.length;
      if (ts.length === 0) continue;
      // Chunks sealed by this append go to the WAL encoded; only the samples left in the head go raw.
      const { sealed, inHead } = series.append(ts, values);
      for (const { chunk, fromHead } of sealed) records.push({ kind: 'chunk', id: series.id, bytes: chunk.bytes!, fromHead });
      if (inHead > 0) records.push({ kind: 'samples', id: series.id, ts: ts.subarray(ts.length - inHead), values: values.subarray(values.length - inHead) });
    }
    if (records.length === 0) return { accepted, rejected };
    const payload = encodeRecords(records);
    this.walBytes += payload.length;
    const durable = this.wal.append(payload);
    if (this.walBytes >= (this.options.checkpointBytes ?? 64 * 1024 * 1024) && !this.checkpointing) {
      this.checkpoint().catch((error: Error) => this.options.onError?.(error));
    }
    await durable;
    return { accepted, rejected };
  }

  /** Seals all heads and persists every chunk not yet in a segment; then drops the WAL generations covered. */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing.then(() => this.checkpoint());
    this.checkpointing = this.runCheckpoint().finally(() => (this.checkpointing = null));
    return this.checkpointing;
  }

  private async runCheckpoint(): Promise<void> {
    const generation = this.wal.rotate();
    this.walBytes = 0;
    const file = join(this.dir, `seg-${String(generation).padStart(10, '0')}.tks`);
    const frames: Uint8Array[] = [];
    const done: (() => void)[] = [];
    let frameAt = 0;
    this.sealHeads();
    for (const series of this.byId.values()) {
      const records: StoreRecord[] = [];
      if (!series.defPersisted) {
        records.push({ kind: 'series', id: series.id, key: series.key, unit: series.clock.unit, epochNs: series.clock.epochNs });
        done.push(() => (series.defPersisted = true));
      }
      const chunks = series.chunks.filter((chunk) => chunk.location === undefined);
      for (const chunk of chunks) records.push({ kind: 'chunk', id: series.id, bytes: chunk.bytes!, fromHead: 0 });
      if (records.length === 0) continue;
      const bodyOffsets: number[] = [];
      const frame = encodeFrame(encodeRecords(records, bodyOffsets));
      const bodiesAt = frameAt + FRAME_HEADER_BYTES;
      const firstChunkRecord = records.length - chunks.length;
      done.push(() =>
        chunks.forEach((chunk, i) => {
          chunk.location = { file, offset: bodiesAt + bodyOffsets[firstChunkRecord + i]!, length: chunk.bytes!.length };
          chunk.bytes = undefined;
        }),
      );
      frames.push(frame);
      frameAt += frame.length;
    }
    if (frames.length > 0) await writeFileAtomic(file, frames);
    for (const mark of done) mark();
    await this.wal.dropThrough(generation);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.checkpoint();
    this.closed = true;
    await this.wal.close();
    this.segments.close();
  }

  /** Every series with its last-seen time and value (times in ms). */
  listSeries(): SeriesInfo[] {
    return [...this.byId.values()].map((s) => ({
      id: seriesId(s.key), key: s.key, timeUnit: s.clock.unit, count: s.count,
      firstTs: s.clock.msFromTicks(s.firstTs), lastTs: s.clock.msFromTicks(s.lastTs), lastValue: s.lastValue,
    }));
  }

  /** What the store holds in memory: sealed chunks (headers always), and the encoded bytes of those not yet in a segment. */
  memoryStats(): { series: number; chunks: number; chunkBytes: number } {
    let chunks = 0;
    let chunkBytes = 0;
    for (const s of this.byId.values()) {
      chunks += s.chunks.length;
      for (const c of s.chunks) chunkBytes += c.bytes?.length ?? 0;
    }
    return { series: this.byId.size, chunks, chunkBytes };
  }

  /** The latest sample of every series. */
  latest(): { id: string; ts: number; value: number }[] {
    return [...this.byId.values()].filter((s) => s.count > 0).map((s) => ({ id: seriesId(s.key), ts: s.clock.msFromTicks(s.lastTs), value: s.lastValue }));
  }

  /** Raw samples with times (ms) in [from, to). */
  range(id: string, from: number, to: number, limit?: number): RawRange {
    const series = this.series(id);
    const { clock } = series;
    const raw = series.range(clock.ticksFromMs(from), clock.ticksFromMs(to), limit);
    if (clock.unit === 'ms') return raw;
    return { ts: raw.ts.map((t) => clock.msFromTicks(t)), values: raw.values, tsNs: BigInt64Array.from(raw.ts, (t) => clock.nsFromTicks(t)) };
  }

  /** [from, to) (ms) split into `buckets` equal buckets: min/max/avg/last per bucket and the M4 selection. */
  downsample(id: string, from: number, to: number, buckets: number): DownsampleResult {
    const series = this.series(id);
    const { clock } = series;
    const edges = bucketEdges(from, to, buckets);
    const aggregates = [];
    for (let i = 0; i < buckets; i++) {
      const a = series.aggregate(clock.ticksFromMs(edges[i]!), clock.ticksFromMs(edges[i + 1]!));
      if (clock.unit === 'ns') for (const k of ['minTs', 'maxTs', 'firstTs', 'lastTs'] as const) a[k] = clock.msFromTicks(a[k]);
      aggregates.push(a);
    }
    return downsampleResult(from, to, aggregates);
  }

  private series(id: string): SeriesData {
    const s = this.byName.get(id);
    if (!s) throw new Error(`no telemetry series "${id}"`);
    return s;
  }
}
