/**
 * The telemetry store: series of (ms timestamp, float64) samples, durable through the shared write-ahead log.
 *
 * Write path: samples are checked (integer ms, time order per series), applied to memory and appended to the WAL;
 * `append` resolves once the WAL frame is fsync'ed. A checkpoint rotates the WAL, seals every head into a chunk, writes
 * all unpersisted chunks as one segment file `seg-<generation>.tks` (atomic), then drops the WAL generations it covers.
 * Open loads the segments, then replays WAL frames newer than the last segment.
 */
import { readdir, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bucketEdges, downsampleResult, type DownsampleResult } from '../../../shared/telemetry/downsample.js';
import { seriesId, type Sample, type SeriesKey } from '../../../shared/telemetry/series.js';
import { writeFileAtomic, isAtomicTempFile, removeDurably } from '../storage/atomic-file.js';
import { WriteAheadLog, decodeFrames, encodeFrame, type WalRepair } from '../storage/wal.js';
import { decodeRecords, encodeRecords, type StoreRecord } from './records.js';
import { SeriesClock, type TimeUnit } from './clock.js';
import { SeriesData } from './series-data.js';

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

export class TelemetryStore {
  private readonly byId = new Map<number, SeriesData>();
  private readonly byName = new Map<string, SeriesData>();
  private walBytes = 0;
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
      for (const payload of payloads) store.apply(decodeRecords(payload), true);
    }
    const covered = segments.at(-1)?.generation ?? 0;
    for (const frame of frames) if (frame.generation > covered) store.apply(decodeRecords(frame.payload), false);
    while (wal.currentGeneration <= covered) wal.rotate();
    return store;
  }

  private apply(records: StoreRecord[], persisted: boolean): void {
    for (const r of records) {
      if (r.kind === 'series') this.register(r.id, r.key, new SeriesClock(r.unit, r.epochNs), persisted);
      else {
        const series = this.byId.get(r.id);
        if (!series) throw new Error(`telemetry record for unknown series ${r.id}`);
        if (r.kind === 'chunk') series.loadChunk(r.bytes);
        else series.append(r.ts, r.values);
      }
    }
  }

  private register(id: number, key: SeriesKey, clock: SeriesClock, persisted: boolean): SeriesData {
    const series = new SeriesData(id, key, clock, persisted);
    this.byId.set(id, series);
    this.byName.set(seriesId(key), series);
    return series;
  }

  /** Appends samples of many series; resolves once they are durable. */
  async append(samples: readonly Sample[]): Promise<AppendResult> {
    const groups = new Map<string, { key: SeriesKey; ts: number[]; values: number[] }>();
    for (const s of samples) {
      const id = seriesId(s.key);
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
      series.append(ts, values);
      records.push({ kind: 'samples', id: series.id, ts, values });
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
    const frames: Uint8Array[] = [];
    const done: (() => void)[] = [];
    for (const series of this.byId.values()) {
      series.sealHead();
      const records: StoreRecord[] = [];
      if (!series.defPersisted) {
        records.push({ kind: 'series', id: series.id, key: series.key, unit: series.clock.unit, epochNs: series.clock.epochNs });
        done.push(() => (series.defPersisted = true));
      }
      for (const chunk of series.chunks) {
        if (chunk.persisted) continue;
        records.push({ kind: 'chunk', id: series.id, bytes: chunk.bytes });
        done.push(() => (chunk.persisted = true));
      }
      if (records.length > 0) frames.push(encodeFrame(encodeRecords(records)));
    }
    if (frames.length > 0) await writeFileAtomic(join(this.dir, `seg-${String(generation).padStart(10, '0')}.tks`), frames);
    for (const mark of done) mark();
    await this.wal.dropThrough(generation);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.checkpoint();
    this.closed = true;
    await this.wal.close();
  }

  /** Every series with its last-seen time and value (times in ms). */
  listSeries(): SeriesInfo[] {
    return [...this.byId.values()].map((s) => ({
      id: seriesId(s.key), key: s.key, timeUnit: s.clock.unit, count: s.count,
      firstTs: s.clock.msFromTicks(s.firstTs), lastTs: s.clock.msFromTicks(s.lastTs), lastValue: s.lastValue,
    }));
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
