// Log index benchmark: FieldKit vs SQLite FTS5 (detail=full with content; contentless detail=none) vs ripgrep.
// Usage: npm run bench:index -- --lines N [--runs R] [--ingest-runs K] [--results DIR]
// Builds a deterministic corpus of N lines (syslog, journald JSON, CRI, klog, sensor app) as raw files plus a binary
// copy of the records, ingests that copy into each engine in its own child process (so that peak RSS is per engine;
// FieldKit's with the environment of the app's index process),
// runs every query R times, checks that every engine that answers a query returns the same count, and writes
// bench/results/index.json and index.md. Each engine ingests K times (default 7), the engines taking turns, and its
// ingest figure is the median: this machine's speed drifts within minutes, at times by 2x. One engine alone: --phase
// <engine> --work DIR --out FILE [--ingest-only] (writes the corpus into DIR first when it is not there).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, type WriteStream } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LEVELS, type Level, type LogLabels, type LogRecord } from '../shared/logs/record.js';
import { INDEX_PROCESS_ENV } from '../electron/services/index/index-process-launch.js';
import { LogIndex } from '../electron/services/index/log-index.js';

const QUERY_NAMES = ['rare_term', 'common_term', 'phrase', 'prefix', 'field_time', 'regex_literal', 'regex_noliteral', 'negation', 'histogram_1m', 'top_values', 'newest_100'] as const;
type QueryName = (typeof QUERY_NAMES)[number];
const ENGINES = ['fieldkit', 'sqlite_fts5_full', 'sqlite_fts5_contentless', 'ripgrep'] as const;
type EngineName = (typeof ENGINES)[number];
const INGEST_ENGINES = ['fieldkit', 'sqlite_fts5_full', 'sqlite_fts5_contentless'] as const;
type IngestEngine = (typeof INGEST_ENGINES)[number];

interface QueryResult {
  p50_ms: number;
  p95_ms: number;
  count: number;
}
interface EngineResult {
  ingest_lines_per_s: number | null;
  ingest_mb_per_s: number | null;
  index_bytes: number | null;
  peak_rss_mb: number | null;
  open_ms?: number | null;
  /** Every ingest run's lines/s, in the order run; ingest_lines_per_s is their median. */
  ingest_runs_lines_per_s?: number[];
  queries: Record<QueryName, QueryResult | null>;
}

const START_NS = 1_764_201_600_000_000_000n; // 2026-11-27T00:00:00Z
const DAY_NS = 86_400_000_000_000n;
const RARE_TOKEN = '9f86d081884c7d65';
const FILES = ['syslog.log', 'journald.json', 'cri.log', 'klog.log', 'sensor.log'] as const;
const BATCH = 8192;
const FIELD_DEVICE = 'gw-07';
const FIELD_FROM = START_NS + DAY_NS / 4n;
const FIELD_TO = FIELD_FROM + DAY_NS / 24n;

// ---------------------------------------------------------------- deterministic corpus

interface Line {
  file: (typeof FILES)[number];
  raw: string;
  record: LogRecord;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* corpus(lines: number): Generator<Line> {
  const random = rng(20261128);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const ip = () => `10.${int(256)}.${int(256)}.${1 + int(254)}`;
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;
  const devices = Array.from({ length: 40 }, (_, i) => `gw-${String(i + 1).padStart(2, '0')}`);
  const sensors = Array.from({ length: 24 }, (_, i) => `T${i + 1}`);
  const rareAt = new Set([Math.floor(lines * 0.13), Math.floor(lines * 0.57), Math.floor(lines * 0.91)]);
  const stepNs = Number(DAY_NS) / Math.max(lines, 1);
  let ts = START_NS;
  for (let i = 0; i < lines; i++) {
    ts += BigInt(Math.floor(random() * 2 * stepNs));
    const device = pick(devices);
    const iso = isoNs(ts);
    const kind = random();
    if (rareAt.has(i)) {
      const message = `GET /api/v1/readings?sensor=${pick(sensors)} 200 ${int(900)}ms trace=${RARE_TOKEN}`;
      yield cri(ts, iso, device, message, 'info');
    } else if (kind < 0.25) {
      const unit = pick(['sshd', 'cron', 'kernel', 'dnsmasq']);
      const roll = random();
      let message: string;
      let level: Level = 'info';
      if (unit === 'sshd') message = roll < 0.3 ? `Failed password for invalid user ${pick(['admin', 'pi', 'ubnt', 'test'])} from ${ip()} port ${1024 + int(60000)} ssh2` : `Accepted publickey for root from ${ip()} port ${1024 + int(60000)} ssh2`;
      else if (unit === 'cron') message = `session opened for user root by cron uid ${int(1000)}`;
      else if (unit === 'kernel') message = roll < 0.5 ? `eth${int(2)}: link is ${pick(['up at 1000 Mbps full duplex', 'down'])}` : `usb 1-${1 + int(4)}: new high-speed USB device number ${int(64)} using ehci-platform`;
      else message = `DHCPACK(br0) ${ip()} ${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)} sensor-${hex(4)}`;
      if (message.startsWith('Failed')) level = 'warn';
      const pid = 100 + int(30000);
      yield { file: 'syslog.log', raw: `${syslogTime(ts)} ${device} ${unit}[${pid}]: ${message}`, record: { tsNs: ts, labels: { device, source: 'syslog', unit }, level, message } };
    } else if (kind < 0.45) {
      const unit = pick(['networkd.service', 'mosquitto.service', 'k3s-agent.service', 'chronyd.service']);
      const roll = random();
      const message =
        roll < 0.15
          ? `${unit}: Failed with result timeout after ${int(120)}s`
          : roll < 0.5
            ? `Started Session ${int(99999)} of user root`
            : roll < 0.75
              ? `Selected source ${ip()} offset ${(random() * 10).toFixed(6)} seconds`
              : `Client ${hex(12)} connected from ${ip()} as sensor ${uuid()}`;
      const level: Level = roll < 0.15 ? 'error' : 'info';
      const priority = level === 'error' ? 3 : 6;
      const raw = JSON.stringify({ __REALTIME_TIMESTAMP: String(ts / 1000n), _HOSTNAME: device, _SYSTEMD_UNIT: unit, PRIORITY: String(priority), MESSAGE: message });
      yield { file: 'journald.json', raw, record: { tsNs: ts, labels: { device, source: 'journald', unit }, level, message } };
    } else if (kind < 0.65) {
      const roll = random();
      const message =
        roll < 0.6
          ? `GET /api/v1/readings?sensor=${pick(sensors)} 200 ${int(900)}ms trace=${hex(16)}`
          : roll < 0.75
            ? `upstream connection reset by peer ${ip()}:${1024 + int(60000)} request ${uuid()}`
            : roll < 0.9
              ? `failed to publish reading to broker: timeout after ${int(5000)}ms`
              : `failed to write block ${hex(8)} to cache: disk quota exceeded`;
      yield cri(ts, iso, device, message, roll < 0.75 ? 'info' : 'error');
    } else if (kind < 0.85) {
      const roll = random();
      const pod = `sensor-gateway-${hex(5)}`;
      const message =
        roll < 0.5
          ? `Successfully probed container reader in pod ${pod}`
          : roll < 0.7
            ? `Error syncing pod ${uuid()}, skipping: failed to start container reader`
            : `Volume ${uuid()} attached to node ${device} in ${int(3000)}ms`;
      const level: Level = roll >= 0.5 && roll < 0.7 ? 'error' : 'info';
      const letter = level === 'error' ? 'E' : 'I';
      const raw = `${letter}${klogTime(ts)} ${String(1000 + int(9000)).padStart(7)} ${pick(['kubelet.go:2410', 'pod_workers.go:965', 'reconciler.go:357'])}] ${message}`;
      yield { file: 'klog.log', raw, record: { tsNs: ts, labels: { device, source: 'k3s', unit: 'k3s-agent' }, level, message } };
    } else {
      const roll = random();
      const sensor = pick(sensors);
      const message =
        roll < 0.7
          ? `reading sensor=${sensor} temp=${(15 + random() * 20).toFixed(2)} humidity=${(20 + random() * 60).toFixed(1)} voltage=${(3 + random()).toFixed(3)}V seq=${int(1e6)}`
          : roll < 0.85
            ? `battery voltage low: ${(2.8 + random() * 0.4).toFixed(2)}V on ${sensor}`
            : `calibration done for ${sensor} at ${ip()} in ${int(900)}ms`;
      const level: Level = roll >= 0.7 && roll < 0.85 ? 'warn' : 'info';
      const raw = `${iso} ${level === 'warn' ? 'WARN' : 'INFO'} sensor-app: ${message}`;
      yield { file: 'sensor.log', raw, record: { tsNs: ts, labels: { device, source: 'file', unit: 'sensor-app' }, level, message } };
    }
  }
}

function cri(ts: bigint, iso: string, device: string, message: string, level: Level): Line {
  const stream = level === 'error' ? 'stderr' : 'stdout';
  return { file: 'cri.log', raw: `${iso} ${stream} F ${message}`, record: { tsNs: ts, labels: { device, source: 'pod', pod: 'sensor-api-5c8d7', container: 'api' }, level, message } };
}

function isoNs(ts: bigint): string {
  return `${new Date(Number(ts / 1_000_000n)).toISOString().slice(0, 19)}.${String(ts % 1_000_000_000n).padStart(9, '0')}Z`;
}
function syslogTime(ts: bigint): string {
  const d = new Date(Number(ts / 1_000_000n));
  return `${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
}
function klogTime(ts: bigint): string {
  const d = new Date(Number(ts / 1_000_000n));
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 19)}.${String((ts / 1000n) % 1_000_000n).padStart(6, '0')}`;
}

function* batches(lines: number): Generator<Line[]> {
  let batch: Line[] = [];
  for (const line of corpus(lines)) {
    batch.push(line);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// ---------------------------------------------------------------- binary copy of the corpus, replayed by every engine

// corpus.bin: one block per batch: u32 block bytes | u32 n | n × (i64 tsNs | u8 level | u16 stream | u32 message
// bytes | message UTF-8). corpus.json: lines, raw bytes and the stream label table.
const RECORD_HEADER = 15;
const BLOCK_HEADER = 8;

interface CorpusManifest {
  lines: number;
  bytes: number;
  streams: LogLabels[];
}

function encodeBlock(batch: Line[], streamOf: (labels: LogLabels) => number): Buffer {
  const messages = batch.map((line) => Buffer.from(line.record.message, 'utf8'));
  const size = BLOCK_HEADER + messages.reduce((sum, message) => sum + RECORD_HEADER + message.length, 0);
  const block = Buffer.allocUnsafe(size);
  block.writeUInt32LE(size, 0);
  block.writeUInt32LE(batch.length, 4);
  let at = BLOCK_HEADER;
  batch.forEach(({ record }, i) => {
    block.writeBigInt64LE(record.tsNs, at);
    block.writeUInt8(LEVELS.indexOf(record.level), at + 8);
    block.writeUInt16LE(streamOf(record.labels), at + 9);
    block.writeUInt32LE(messages[i].length, at + 11);
    at += RECORD_HEADER + messages[i].copy(block, at + RECORD_HEADER);
  });
  return block;
}

/** Reads corpus.bin one batch at a time; records of one stream share one labels object, as a parser's would. */
class CorpusReader {
  private readonly fd: number;
  private position = 0;
  private buffer = Buffer.allocUnsafe(4 << 20);

  constructor(
    work: string,
    private readonly streams: readonly LogLabels[],
  ) {
    this.fd = openSync(join(work, 'corpus.bin'), 'r');
  }

  next(): LogRecord[] | null {
    if (readSync(this.fd, this.buffer, 0, BLOCK_HEADER, this.position) < BLOCK_HEADER) return null;
    const size = this.buffer.readUInt32LE(0);
    const n = this.buffer.readUInt32LE(4);
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
    const block = this.buffer;
    if (readSync(this.fd, block, 0, size, this.position) !== size) throw new Error('corpus.bin is truncated');
    this.position += size;
    const records = new Array<LogRecord>(n);
    let at = BLOCK_HEADER;
    for (let i = 0; i < n; i++) {
      const length = block.readUInt32LE(at + 11);
      const start = at + RECORD_HEADER;
      records[i] = { tsNs: block.readBigInt64LE(at), labels: this.streams[block.readUInt16LE(at + 9)], level: LEVELS[block[at + 8]], message: block.toString('utf8', start, start + length) };
      at = start + length;
    }
    return records;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Feeds the whole corpus to an engine and returns the ingest time: wall clock from before the first batch is read
 * to after `finish` (the engine's last durable step), minus the time spent reading and materialising batches.
 */
async function timedIngest(work: string, append: (records: LogRecord[]) => unknown, finish: () => unknown): Promise<number> {
  const manifest = readManifest(work);
  const reader = new CorpusReader(work, manifest.streams);
  let readingMs = 0;
  const started = performance.now();
  try {
    for (;;) {
      const readStarted = performance.now();
      const records = reader.next();
      readingMs += performance.now() - readStarted;
      if (records === null) break;
      await append(records);
    }
    await finish();
  } finally {
    reader.close();
  }
  return performance.now() - started - readingMs;
}

function readManifest(work: string): CorpusManifest {
  return JSON.parse(readFileSync(join(work, 'corpus.json'), 'utf8')) as CorpusManifest;
}

// ---------------------------------------------------------------- per-engine runs (child processes)

type Runner = (name: QueryName) => Promise<number | null>;

/**
 * Untimed runs of each query first, for every engine, at least WARM_UP_RUNS and for at least WARM_UP_MS (at most
 * WARM_UP_MAX_RUNS): V8 needs a few hundred runs of a fast query to optimise its code, SQLite fills its page cache.
 */
const WARM_UP_RUNS = 5;
const WARM_UP_MS = 300;
const WARM_UP_MAX_RUNS = 2000;

async function measure(runner: Runner, runs: number): Promise<Record<QueryName, QueryResult | null>> {
  const results = {} as Record<QueryName, QueryResult | null>;
  for (const name of QUERY_NAMES) {
    const first = await runner(name);
    if (first === null) {
      results[name] = null;
      continue;
    }
    const warmUpStarted = performance.now();
    for (let run = 1; run < WARM_UP_MAX_RUNS && (run < WARM_UP_RUNS || performance.now() - warmUpStarted < WARM_UP_MS); run++) await runner(name);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await runner(name);
      times.push(performance.now() - started);
    }
    results[name] = { ...percentiles(times), count: first };
  }
  return results;
}

/** The value at quantile `q` of `values` (nearest rank). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function percentiles(times: number[]): { p50_ms: number; p95_ms: number } {
  return { p50_ms: round(quantile(times, 0.5)), p95_ms: round(quantile(times, 0.95)) };
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 1);

/** Ingests the corpus into a fresh FieldKit index, closed at the end; its folder and the ingest time. */
async function ingestFieldkit(work: string): Promise<{ dir: string; ingestMs: number }> {
  const dir = join(work, 'fieldkit');
  rmSync(dir, { recursive: true, force: true });
  const index = await LogIndex.open(dir, { idleSealMs: 0 });
  return { dir, ingestMs: await timedIngest(work, (records) => index.append(records), () => index.close()) };
}

async function runFieldkit(lines: number, runs: number, work: string, rawBytes: number): Promise<EngineResult> {
  const { dir, ingestMs } = await ingestFieldkit(work);
  const indexBytes = directoryBytes(dir);
  const index = await LogIndex.open(dir, { idleSealMs: 0 });
  const openMs = (await index.stats()).openMs;
  const fieldQuery = `device:${FIELD_DEVICE} since:${FIELD_FROM} until:${FIELD_TO}`;
  const runner: Runner = async (name) => {
    switch (name) {
      case 'rare_term':
        return index.count(RARE_TOKEN);
      case 'common_term':
        return index.count('failed');
      case 'phrase':
        return index.count('"connection reset by peer"');
      case 'prefix':
        return index.count('volt*');
      case 'field_time':
        return index.count(fieldQuery);
      case 'regex_literal':
        return index.count('/connection reset by peer [0-9.]+:[0-9]+/');
      case 'regex_noliteral':
        return index.count('/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/');
      case 'negation':
        return index.count('failed -timeout');
      case 'histogram_1m':
        return (await index.histogram('failed', { bucketNs: 60_000_000_000n })).total;
      case 'top_values':
        return (await index.topValues('failed', 'device', { limit: 10 }))[0]?.count ?? 0;
      case 'newest_100':
        return (await index.search('', { limit: 100 })).hits.length;
    }
  };
  const queries = await measure(runner, runs);
  await index.close();
  return { ...ingestFigures(lines, rawBytes, ingestMs), index_bytes: indexBytes, peak_rss_mb: peakRssMb(), open_ms: round(openMs), queries };
}

function ingestFigures(lines: number, rawBytes: number, ms: number) {
  return { ingest_lines_per_s: Math.round(lines / (ms / 1000)), ingest_mb_per_s: round(rawBytes / 1e6 / (ms / 1000), 2) };
}

type SqliteEngine = Exclude<IngestEngine, 'fieldkit'>;

/** Ingests the corpus into a fresh SQLite FTS5 table; the open database, its file and the ingest time. */
async function ingestSqlite(engine: SqliteEngine, work: string) {
  const { default: Database } = await import('better-sqlite3');
  const path = join(work, `${engine}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const full = engine === 'sqlite_fts5_full';
  db.exec(
    full
      ? `CREATE VIRTUAL TABLE logs USING fts5(message, device UNINDEXED, source UNINDEXED, level UNINDEXED, ts UNINDEXED, detail=full)`
      : `CREATE VIRTUAL TABLE logs USING fts5(message, content='', detail=none)`,
  );
  const insert = full ? db.prepare('INSERT INTO logs (message, device, source, level, ts) VALUES (?, ?, ?, ?, ?)') : db.prepare('INSERT INTO logs (message) VALUES (?)');
  const insertAll = db.transaction((records: LogRecord[]) => {
    for (const r of records) {
      if (full) insert.run(r.message, r.labels.device, r.labels.source, r.level, r.tsNs);
      else insert.run(r.message);
    }
  });
  const ingestMs = await timedIngest(work, insertAll, () => db.pragma('wal_checkpoint(TRUNCATE)'));
  return { db, path, full, ingestMs };
}

/** One ingest run of an engine, nothing else; its ingest time. */
async function ingestOnly(engine: IngestEngine, work: string): Promise<number> {
  if (engine === 'fieldkit') return (await ingestFieldkit(work)).ingestMs;
  const { db, ingestMs } = await ingestSqlite(engine, work);
  db.close();
  return ingestMs;
}

async function runSqlite(engine: SqliteEngine, lines: number, runs: number, work: string, rawBytes: number): Promise<EngineResult> {
  const { db, path, full, ingestMs } = await ingestSqlite(engine, work);
  const indexBytes = statSync(path).size;
  db.function('regexp', { deterministic: true }, (pattern: unknown, text: unknown) => {
    return new RegExp(String(pattern)).test(String(text)) ? 1 : 0;
  });
  const count = (sql: string, ...params: unknown[]) => Number((db.prepare(sql).get(...params) as { n: number | bigint }).n);
  const match = (q: string) => count('SELECT count(*) AS n FROM logs WHERE logs MATCH ?', q);
  const runner: Runner = async (name) => {
    switch (name) {
      case 'rare_term':
        return match(RARE_TOKEN);
      case 'common_term':
        return match('failed');
      case 'phrase':
        return full ? match('"connection reset by peer"') : null;
      case 'prefix':
        return match('volt*');
      case 'field_time':
        return full ? count('SELECT count(*) AS n FROM logs WHERE device = ? AND ts >= ? AND ts < ?', FIELD_DEVICE, FIELD_FROM, FIELD_TO) : null;
      case 'regex_literal':
        return full ? count(`SELECT count(*) AS n FROM logs WHERE logs MATCH '"connection reset by peer"' AND regexp(?, message)`, 'connection reset by peer [0-9.]+:[0-9]+') : null;
      case 'regex_noliteral':
        return full ? count('SELECT count(*) AS n FROM logs WHERE regexp(?, message)', '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}') : null;
      case 'negation':
        return match('failed NOT timeout');
      case 'histogram_1m':
        if (!full) return null;
        return (db.prepare(`SELECT ts / 60000000000 AS minute, count(*) AS n FROM logs WHERE logs MATCH 'failed' GROUP BY minute`).all() as Array<{ n: number }>).reduce((sum, row) => sum + row.n, 0);
      case 'top_values':
        if (!full) return null;
        return (db.prepare(`SELECT device, count(*) AS n FROM logs WHERE logs MATCH 'failed' GROUP BY device ORDER BY n DESC LIMIT 10`).all() as Array<{ n: number }>)[0]?.n ?? 0;
      case 'newest_100':
        return full ? db.prepare('SELECT message, device, source, level, ts FROM logs ORDER BY ts DESC LIMIT 100').all().length : null;
    }
  };
  const queries = await measure(runner, runs);
  db.close();
  return { ...ingestFigures(lines, rawBytes, ingestMs), index_bytes: indexBytes, peak_rss_mb: peakRssMb(), queries };
}

async function runRipgrep(runs: number, work: string): Promise<EngineResult> {
  const raw = join(work, 'raw');
  const files = FILES.map((file) => join(raw, file));
  const rg = (...args: string[]) => sumCounts(spawnSync('rg', ['--no-config', '--no-filename', '-c', ...args, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
  const runner: Runner = async (name) => {
    switch (name) {
      case 'rare_term':
        return rg('-i', '-w', '-F', RARE_TOKEN);
      case 'common_term':
        return rg('-i', '-w', 'failed');
      case 'phrase':
        return rg('-i', '-w', '-F', 'connection reset by peer');
      case 'prefix':
        return rg('-i', '\\bvolt');
      case 'regex_literal':
        return rg('connection reset by peer [0-9.]+:[0-9]+');
      case 'regex_noliteral':
        return rg('[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}');
      case 'negation': {
        const out = spawnSync('bash', ['-c', `rg --no-config --no-filename -i -w failed ${files.join(' ')} | rg --no-config -c -v -i -w timeout`], { encoding: 'utf8', maxBuffer: 1 << 26 });
        return sumCounts(out.stdout);
      }
      default:
        return null;
    }
  };
  const queries = await measure(runner, runs);
  const rss = spawnSync('/usr/bin/time', ['-f', '%M', 'rg', '--no-config', '-c', '-i', '-w', 'failed', ...files], { encoding: 'utf8' });
  const kb = Number(/(\d+)\s*$/.exec(rss.stderr.trim())?.[1]);
  return { ingest_lines_per_s: null, ingest_mb_per_s: null, index_bytes: null, peak_rss_mb: Number.isFinite(kb) ? round(kb / 1024, 1) : null, queries };
}

function sumCounts(stdout: string): number {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .reduce((sum, line) => sum + Number(line.trim()), 0);
}

// ---------------------------------------------------------------- orchestration

/** Writes the raw files (what ripgrep searches, and the raw byte count) and the binary copy the engines ingest. */
async function writeCorpus(lines: number, work: string): Promise<CorpusManifest> {
  const dir = join(work, 'raw');
  mkdirSync(dir, { recursive: true });
  const streams = new Map<string, WriteStream>(FILES.map((file) => [file, createWriteStream(join(dir, file))]));
  const binary = openSync(join(work, 'corpus.bin'), 'w');
  const streamIndex = new Map<string, number>();
  const labelTable: LogLabels[] = [];
  const streamOf = (labels: LogLabels) => {
    const key = JSON.stringify(labels);
    let index = streamIndex.get(key);
    if (index === undefined) {
      streamIndex.set(key, (index = labelTable.length));
      labelTable.push(labels);
    }
    return index;
  };
  let bytes = 0;
  for (const batch of batches(lines)) {
    writeSync(binary, encodeBlock(batch, streamOf));
    const perFile = new Map<string, string[]>();
    for (const line of batch) {
      const list = perFile.get(line.file) ?? [];
      list.push(line.raw);
      perFile.set(line.file, list);
    }
    for (const [file, rows] of perFile) {
      const text = `${rows.join('\n')}\n`;
      bytes += Buffer.byteLength(text);
      if (!streams.get(file)!.write(text)) await new Promise<void>((resolve) => streams.get(file)!.once('drain', () => resolve()));
    }
  }
  await Promise.all([...streams.values()].map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  closeSync(binary);
  const manifest: CorpusManifest = { lines, bytes, streams: labelTable };
  writeFileSync(join(work, 'corpus.json'), JSON.stringify(manifest));
  return manifest;
}

/** The corpus in `work` (written there first, untimed, when a phase runs on its own). */
async function ensureCorpus(lines: number, work: string): Promise<CorpusManifest> {
  if (existsSync(join(work, 'corpus.json'))) {
    const manifest = readManifest(work);
    if (manifest.lines === lines) return manifest;
  }
  return writeCorpus(lines, work);
}

function compare(engines: Record<EngineName, EngineResult>): string[] {
  const mismatches: string[] = [];
  for (const name of QUERY_NAMES) {
    const answers = ENGINES.map((engine) => [engine, engines[engine].queries[name]?.count] as const).filter(([, count]) => count !== undefined);
    const distinct = new Set(answers.map(([, count]) => count));
    if (distinct.size > 1) mismatches.push(`${name}: ${answers.map(([engine, count]) => `${engine}=${count}`).join(', ')}`);
  }
  return mismatches;
}

function markdown(result: { corpus: { lines: number; bytes: number }; engines: Record<EngineName, EngineResult>; mismatches: string[] }, note: string): string {
  const cell = (value: number | string | null | undefined) => (value === null || value === undefined ? '—' : String(value));
  const header = `| | ${ENGINES.join(' | ')} |\n|---|${ENGINES.map(() => '---').join('|')}|`;
  const row = (label: string, pick: (e: EngineResult) => number | string | null | undefined) => `| ${label} | ${ENGINES.map((engine) => cell(pick(result.engines[engine]))).join(' | ')} |`;
  const lines = [
    '# Log index benchmark',
    '',
    `Corpus: ${result.corpus.lines.toLocaleString('en')} lines, ${(result.corpus.bytes / 1e6).toFixed(1)} MB raw (syslog, journald JSON, CRI, klog, sensor app; generated by bench/index.ts).`,
    '',
    note,
    '',
    '## Ingest and size',
    '',
    header,
    row('ingest lines/s (median)', (e) => e.ingest_lines_per_s),
    row('ingest runs, lines/s', (e) => e.ingest_runs_lines_per_s?.join(' / ')),
    row('ingest MB/s (raw)', (e) => e.ingest_mb_per_s),
    row('index bytes', (e) => e.index_bytes),
    row('index / raw', (e) => (e.index_bytes === null ? null : round(e.index_bytes / result.corpus.bytes, 3))),
    row('peak RSS MB', (e) => e.peak_rss_mb),
    row('open ms', (e) => e.open_ms),
    '',
    '## Queries: p50 ms / p95 ms (count)',
    '',
    header,
    ...QUERY_NAMES.map((name) => `| ${name} | ${ENGINES.map((engine) => {
      const q = result.engines[engine].queries[name];
      return q ? `${q.p50_ms} / ${q.p95_ms} (${q.count})` : '—';
    }).join(' | ')} |`),
    '',
    result.mismatches.length === 0 ? 'All engines that answer a query agree on its count.' : `**Count mismatches:** ${result.mismatches.join('; ')}`,
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '15' },
      'ingest-runs': { type: 'string', default: '7' },
      results: { type: 'string' },
      phase: { type: 'string' },
      'ingest-only': { type: 'boolean', default: false },
      work: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const lines = Number(values.lines);
  const runs = Number(values.runs);
  const ingestRuns = Number(values['ingest-runs']);
  if (![lines, runs, ingestRuns].every((value) => Number.isInteger(value) && value >= 1)) throw new Error('--lines, --runs and --ingest-runs must be positive integers');
  if (values.phase) {
    const work = values.work!;
    const rawBytes = (await ensureCorpus(lines, work)).bytes;
    const engine = values.phase as IngestEngine;
    let result: Pick<EngineResult, 'ingest_lines_per_s' | 'ingest_mb_per_s'>;
    if (values['ingest-only']) result = ingestFigures(lines, rawBytes, await ingestOnly(engine, work));
    else result = engine === 'fieldkit' ? await runFieldkit(lines, runs, work, rawBytes) : await runSqlite(engine, lines, runs, work, rawBytes);
    writeFileSync(values.out!, JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'fk-bench-index-'));
  try {
    console.log(`corpus: ${lines} lines…`);
    const { bytes } = await writeCorpus(lines, work);
    const phase = (engine: IngestEngine, ...extra: string[]): EngineResult => {
      const out = join(work, `${engine}.json`);
      // FieldKit's phase runs with the environment the app gives its index process
      const env = engine === 'fieldkit' ? { ...process.env, ...INDEX_PROCESS_ENV } : process.env;
      execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--phase', engine, '--lines', String(lines), '--runs', String(runs), '--work', work, '--out', out, ...extra], { stdio: 'inherit', env });
      return JSON.parse(readFileSync(out, 'utf8')) as EngineResult;
    };
    type IngestFigures = Pick<EngineResult, 'ingest_lines_per_s' | 'ingest_mb_per_s'>;
    const ingestSamples = Object.fromEntries(INGEST_ENGINES.map((engine) => [engine, [] as IngestFigures[]])) as Record<IngestEngine, IngestFigures[]>;
    for (let run = 1; run < ingestRuns; run++) {
      for (const engine of INGEST_ENGINES) {
        console.log(`${engine}: ingest ${run} of ${ingestRuns}…`);
        ingestSamples[engine].push(phase(engine, '--ingest-only'));
      }
    }
    const engines = {} as Record<EngineName, EngineResult>;
    for (const engine of INGEST_ENGINES) {
      console.log(`${engine}: ingest ${ingestRuns} of ${ingestRuns} + queries…`);
      const result = phase(engine);
      const samples = [...ingestSamples[engine], result];
      const linesPerS = samples.map((sample) => sample.ingest_lines_per_s!);
      const median = samples[linesPerS.indexOf(quantile(linesPerS, 0.5))];
      engines[engine] = { ...result, ingest_lines_per_s: median.ingest_lines_per_s, ingest_mb_per_s: median.ingest_mb_per_s, ingest_runs_lines_per_s: linesPerS };
    }
    console.log('ripgrep: queries…');
    engines.ripgrep = await runRipgrep(runs, work);
    const mismatches = compare(engines);
    const result = { corpus: { lines, bytes }, engines, mismatches };
    const load = loadavg().map((value) => value.toFixed(1)).join(' / ');
    const note = `Measured on this machine (${cpus().length} cores, shared with other work while it ran: load average ${load} over 1 / 5 / 15 min at the end), Node ${process.version}, ${runs} timed runs per query after untimed warm-up runs (every engine, at least ${WARM_UP_RUNS} runs and ${WARM_UP_MS} ms, at most ${WARM_UP_MAX_RUNS} runs: V8 optimises FieldKit's query code, SQLite and the OS cache pages). FieldKit runs in the phase's process here, with the environment the app gives its index process (INDEX_PROCESS_ENV: MALLOC_ARENA_MAX=2), the engine on that process's main thread as in the app's index process. SQLite uses WAL mode, synchronous=FULL, one transaction per ${BATCH}-line batch; FieldKit acknowledges each ${BATCH}-line batch after its WAL fsync. Ingest = wall clock from before the first batch to after FieldKit's close() (every record sealed into segments) or SQLite's final WAL checkpoint, minus the time spent reading and materialising the batches from a pre-generated binary copy of the corpus (same rule for every engine; the corpus generator does not run while an engine ingests). Each engine ingests ${ingestRuns} times into a fresh folder or database, in a fresh process, the engines taking turns (the last run is the one its queries then use), and its ingest figures are the median run: this machine's speed drifts within minutes, at times by 2× (and not by the same factor for every engine), so one bench run does not settle a ratio near a target.`;
    const repoRoot = new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url);
    const resultsDir = values.results ?? fileURLToPath(new URL('bench/results/', repoRoot));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'index.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(resultsDir, 'index.md'), markdown(result, note));
    console.log(markdown(result, note));
    if (mismatches.length > 0) {
      console.error(`count mismatches: ${mismatches.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
