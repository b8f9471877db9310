// Telemetry store benchmark: FieldKit's store vs SQLite (better-sqlite3, plain (series, ts, value) table + index).
// Usage: npm run bench:telemetry [-- --downsample-samples N] [--runs R]
// Datasets: every numeric value of the gpsd NMEA captures, a smooth-plus-noise sensor set, a monotonic counter set,
// and one long 1 kHz series (100M samples by default) for the 2000-bucket downsample. Both engines fsync their commits.
// Unmeasured warm-up ingests (one of each kind of dataset, smaller) let V8 compile first (SQLite's engine is native code).
// Writes bench/results/telemetry.json.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { NmeaStreamDecoder } from '../shared/telemetry/nmea-stream.js';
import { seriesId, type Sample, type SeriesKey } from '../shared/telemetry/series.js';
import { TelemetryStore } from '../electron/services/telemetry/store.js';
import { alignedWindow } from '../shared/telemetry/downsample.js';

interface SeriesData {
  key: SeriesKey;
  ts: Float64Array;
  values: Float64Array;
}

const T0 = Date.UTC(2026, 0, 1);
const BATCH = 8192;
const IN_FLIGHT = 32;

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(p) : statSync(p).size;
  }
  return total;
}

/** Deterministic PRNG (mulberry32) and a normal variate from it. */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Every numeric value of the four gpsd captures, in arrival order (about 150 series). */
function nmeaSamples(): Sample[] {
  const dir = join(process.cwd(), 'test/fixtures/nmea');
  const out: Sample[] = [];
  const last = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    const decoder = new NmeaStreamDecoder(file.replace(/\.log$/, ''));
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const r = decoder.push(line);
      if (r.kind !== 'message') continue;
      for (const s of r.samples) {
        const id = seriesId(s.key);
        if (s.ts < (last.get(id) ?? -Infinity)) continue;
        last.set(id, s.ts);
        out.push(s);
      }
    }
  }
  return out;
}

/** 20 temperature sensors at 1 Hz: slow daily swing plus Gaussian noise, reported at the sensor's 0.01 resolution. */
function smoothDataset(perSeries: number): SeriesData[] {
  return Array.from({ length: 20 }, (_, s) => {
    const r = rng(1000 + s);
    const ts = new Float64Array(perSeries);
    const values = new Float64Array(perSeries);
    const base = 15 + s;
    for (let i = 0; i < perSeries; i++) {
      ts[i] = T0 + i * 1000;
      values[i] = Math.round((base + 4 * Math.sin((2 * Math.PI * i) / 86_400) + 0.05 * r.normal()) * 100) / 100;
    }
    return { key: { device: 'plant', sensor: `tt-${s}`, field: 'temperature', unit: 'degC' }, ts, values };
  });
}

/** 20 energy meters at 1 Hz: a cumulative counter growing by 0-99 Wh per second. */
function counterDataset(perSeries: number): SeriesData[] {
  return Array.from({ length: 20 }, (_, s) => {
    const r = rng(2000 + s);
    const ts = new Float64Array(perSeries);
    const values = new Float64Array(perSeries);
    let v = 1_000_000 * s;
    for (let i = 0; i < perSeries; i++) {
      ts[i] = T0 + i * 1000;
      v += Math.floor(r.uniform() * 100);
      values[i] = v;
    }
    return { key: { device: 'plant', sensor: `em-${s}`, field: 'energy', unit: 'Wh' }, ts, values };
  });
}

/** Appends every series in batches, keeping up to IN_FLIGHT batches awaiting their group commit (a sliding window). */
async function ingestFieldkit(store: TelemetryStore, data: SeriesData[]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const longest = Math.max(...data.map((d) => d.ts.length));
  for (let at = 0; at < longest; at += BATCH) {
    for (const d of data) {
      if (at >= d.ts.length) continue;
      pending.push(store.appendColumns(d.key, d.ts.subarray(at, at + BATCH), d.values.subarray(at, at + BATCH)));
      if (pending.length >= IN_FLIGHT) await pending.shift();
    }
  }
  await Promise.all(pending);
}

type Dataset = SeriesData[] | Sample[];
const isSamples = (d: Dataset): d is Sample[] => d.length > 0 && 'key' in d[0]! && 'value' in d[0]!;
const sampleCount = (d: Dataset) => (isSamples(d) ? d.length : d.reduce((n, s) => n + s.ts.length, 0));

async function ingestFieldkitSamples(store: TelemetryStore, samples: Sample[]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let at = 0; at < samples.length; at += BATCH) {
    pending.push(store.append(samples.slice(at, at + BATCH)));
    if (pending.length >= IN_FLIGHT) await pending.shift();
  }
  await Promise.all(pending);
}

async function fieldkitDataset(data: Dataset): Promise<DatasetRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fk-bench-tel-'));
  try {
    const samples = sampleCount(data);
    const store = await TelemetryStore.open(dir);
    const t = performance.now();
    if (isSamples(data)) await ingestFieldkitSamples(store, data);
    else await ingestFieldkit(store, data);
    await store.close();
    const seconds = (performance.now() - t) / 1000;
    return { samples, bytes_per_sample: round(directoryBytes(dir) / samples, 3), ingest_samples_per_s: Math.round(samples / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openSqlite(dir: string): Database.Database {
  const db = new Database(join(dir, 'telemetry.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE samples (series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL); CREATE INDEX samples_series_ts ON samples(series, ts);');
  return db;
}

function ingestSqlite(db: Database.Database, data: SeriesData[], firstSeries = 1): void {
  const insert = db.prepare('INSERT INTO samples (series, ts, value) VALUES (?, ?, ?)');
  const longest = Math.max(...data.map((d) => d.ts.length));
  const batch = db.transaction((at: number) => {
    data.forEach((d, s) => {
      for (let i = at; i < Math.min(at + BATCH * 8, d.ts.length); i++) insert.run(firstSeries + s, d.ts[i]!, d.values[i]!);
    });
  });
  for (let at = 0; at < longest; at += BATCH * 8) batch(at);
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function ingestSqliteSamples(db: Database.Database, samples: Sample[]): void {
  const insert = db.prepare('INSERT INTO samples (series, ts, value) VALUES (?, ?, ?)');
  const ids = new Map<string, number>();
  const batch = db.transaction((at: number) => {
    for (const s of samples.slice(at, at + BATCH * 8)) {
      const name = seriesId(s.key);
      let id = ids.get(name);
      if (id === undefined) ids.set(name, (id = ids.size + 1));
      insert.run(id, s.ts, s.value);
    }
  });
  for (let at = 0; at < samples.length; at += BATCH * 8) batch(at);
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function sqliteDataset(data: Dataset): DatasetRun {
  const dir = mkdtempSync(join(tmpdir(), 'fk-bench-sql-'));
  try {
    const samples = sampleCount(data);
    const db = openSqlite(dir);
    const t = performance.now();
    if (isSamples(data)) ingestSqliteSamples(db, data);
    else ingestSqlite(db, data);
    const seconds = (performance.now() - t) / 1000;
    db.close();
    return { samples, bytes_per_sample: round(directoryBytes(dir) / samples, 3), ingest_samples_per_s: Math.round(samples / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The long series, generated part by part (only the ingest of each part is timed, and each part's appends are all
 * durable before the next is generated): a 1 kHz vibration-like signal (sum of sines plus noise, 0.001 resolution).
 */
function* longSeriesParts(total: number): Generator<SeriesData> {
  const r = rng(42);
  const key: SeriesKey = { device: 'press-3', sensor: 'accel', field: 'x', unit: 'g' };
  const part = 10_000_000;
  for (let at = 0; at < total; at += part) {
    const n = Math.min(part, total - at);
    const ts = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = at + i;
      ts[i] = T0 + k;
      values[i] = Math.round((Math.sin(k / 159) + 0.3 * Math.sin(k / 17) + 0.02 * r.normal()) * 1000) / 1000;
    }
    yield { key, ts, values };
  }
}

type DatasetRun = { samples: number; bytes_per_sample: number; ingest_samples_per_s: number };

function medianRun(runs: DatasetRun[]): DatasetRun & { runs: number } {
  const sorted = [...runs].sort((a, b) => a.ingest_samples_per_s - b.ingest_samples_per_s);
  return { ...sorted[Math.floor(sorted.length / 2)]!, runs: runs.length };
}

function percentile50(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { 'downsample-samples': { type: 'string', default: '100000000' }, 'sensor-samples': { type: 'string', default: '500000' }, runs: { type: 'string', default: '21' } } });
  const longTotal = Number(args['downsample-samples']);
  const perSeries = Number(args['sensor-samples']);
  const runs = Number(args.runs);
  const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

  const datasets: Record<string, Dataset> = { nmea_corpus: nmeaSamples(), smooth_sensors: smoothDataset(perSeries), counters: counterDataset(perSeries) };
  const fieldkit: Record<string, unknown> = {};
  const sqlite: Record<string, DatasetRun> = {};
  log('warm-up (JIT) runs of every kind of dataset, not measured');
  await fieldkitDataset(datasets.nmea_corpus!);
  await fieldkitDataset(smoothDataset(50_000));
  await fieldkitDataset(counterDataset(50_000));
  for (const [name, data] of Object.entries(datasets)) {
    // A small dataset ingests in a few fsyncs: take the median of 11 runs so that one slow fsync does not decide it.
    const repeats = sampleCount(data) < 1_000_000 ? 11 : 1;
    log(`fieldkit ${name} ×${repeats}`);
    const fk = [];
    for (let i = 0; i < repeats; i++) fk.push(await fieldkitDataset(data));
    fieldkit[name] = medianRun(fk);
    log(`sqlite ${name} ×${repeats}`);
    const sq = [];
    for (let i = 0; i < repeats; i++) sq.push(sqliteDataset(data));
    sqlite[name] = medianRun(sq);
  }

  log(`long series: ${longTotal} samples`);
  const dir = mkdtempSync(join(tmpdir(), 'fk-bench-tel-long-'));
  const sqlDir = mkdtempSync(join(tmpdir(), 'fk-bench-sql-long-'));
  try {
    const store = await TelemetryStore.open(dir);
    const db = openSqlite(sqlDir);
    let fkSeconds = 0;
    let sqlSeconds = 0;
    let key: SeriesKey | undefined;
    for (const part of longSeriesParts(longTotal)) {
      key = part.key;
      const t = performance.now();
      await ingestFieldkit(store, [part]);
      fkSeconds += (performance.now() - t) / 1000;
    }
    const t = performance.now();
    await store.checkpoint();
    fkSeconds += (performance.now() - t) / 1000;
    log('long series into sqlite');
    for (const part of longSeriesParts(longTotal)) {
      const t = performance.now();
      ingestSqlite(db, [part]);
      sqlSeconds += (performance.now() - t) / 1000;
    }
    log('downsample queries');
    const id = seriesId(key!);
    const from = T0;
    const to = T0 + longTotal;
    const times: number[] = [];
    const unaligned: number[] = [];
    const viewport: number[] = [];
    const snapped = alignedWindow(from + 123.4, to - 567.8, 2000);
    let checksum = 0;
    for (let i = 0; i < runs; i++) {
      let q = performance.now();
      checksum += store.downsample(id, from, to, 2000).count[0]!;
      times.push(performance.now() - q);
      q = performance.now();
      checksum += store.downsample(id, from + 123.4, to - 567.8, 2000).count[0]!;
      unaligned.push(performance.now() - q);
      q = performance.now();
      checksum += store.downsample(id, snapped.from, snapped.to, snapped.buckets).count[0]!;
      viewport.push(performance.now() - q);
    }
    const sqlQuery = db.prepare('SELECT CAST((ts - ?) * 2000 / (? - ?) AS INTEGER) AS b, min(value), max(value), avg(value), count(*) FROM samples WHERE series = 1 AND ts >= ? AND ts < ? GROUP BY b');
    const sqlTimes: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const q = performance.now();
      checksum += sqlQuery.all(from, to, from, from, to).length;
      sqlTimes.push(performance.now() - q);
    }
    db.close();
    const longBytes = directoryBytes(dir);
    const sqlLongBytes = directoryBytes(sqlDir);
    const memory = store.memoryStats();
    await store.close();

    log('reopening the long series');
    const openStart = performance.now();
    const reopened = await TelemetryStore.open(dir);
    const openMs = performance.now() - openStart;
    let q = performance.now();
    checksum += reopened.downsample(id, from, to, 2000).count[0]!;
    const beforeRollupsMs = performance.now() - q;
    await reopened.rollupsReady;
    const rollupsReadyMs = performance.now() - openStart;
    const reopenedTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      q = performance.now();
      checksum += reopened.downsample(id, from, to, 2000).count[0]!;
      reopenedTimes.push(performance.now() - q);
    }
    await reopened.close();

    const smooth = sqlite.smooth_sensors!;
    const result = {
      datasets: { ...fieldkit, long_series: { samples: longTotal, bytes_per_sample: round(longBytes / longTotal, 3), ingest_samples_per_s: Math.round(longTotal / fkSeconds) } },
      downsample: {
        samples: longTotal,
        buckets: 2000,
        p50_ms: round(percentile50(times), 2),
        unaligned_p50_ms: round(percentile50(unaligned), 2),
        viewport_aligned_p50_ms: round(percentile50(viewport), 2),
        note: 'p50_ms: the whole series in 2000 buckets (edges on whole seconds). unaligned: edges off the 1 s grid, each edge decodes a raw chunk. viewport_aligned: the unaligned window widened by alignedWindow() as the UI does',
        runs,
      },
      open: {
        samples: longTotal,
        open_ms: round(openMs, 1),
        rollups_ready_ms: Math.round(rollupsReadyMs),
        downsample_before_rollups_ms: round(beforeRollupsMs, 1),
        downsample_after_rollups_p50_ms: round(percentile50(reopenedTimes), 2),
        memory_after_checkpoint: { chunks: memory.chunks, chunk_bytes_in_memory: memory.chunkBytes },
        note: 'reopening the long series: open reads the segments (CRC-checked) and keeps chunk headers only; the rollup tiers are rebuilt in the background (rollups_ready_ms, from the start of open); a downsample before that is exact but decodes the chunks at bucket edges',
      },
      sqlite: {
        bytes_per_sample: smooth.bytes_per_sample,
        ingest_samples_per_s: smooth.ingest_samples_per_s,
        downsample_p50_ms: round(percentile50(sqlTimes), 1),
        downsample_runs: sqlTimes.length,
        note: 'bytes_per_sample and ingest_samples_per_s are for smooth_sensors; per dataset below; downsample is min/max/avg/count GROUP BY over the same long series',
        datasets: { ...sqlite, long_series: { samples: longTotal, bytes_per_sample: round(sqlLongBytes / longTotal, 3), ingest_samples_per_s: Math.round(longTotal / sqlSeconds) } },
      },
      environment: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', load_average_1_5_15: loadavg().map((v) => round(v, 2)), date: new Date().toISOString() },
      checksum,
    };
    mkdirSync(join(process.cwd(), 'bench/results'), { recursive: true });
    writeFileSync(join(process.cwd(), 'bench/results/telemetry.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(sqlDir, { recursive: true, force: true });
  }
}

await main();
