/**
 * LogIndex: the embedded, crash-safe log index (engine; runs on whatever thread opens it — see index-client.ts
 * for the worker-hosted form the app uses).
 *
 *   const index = await LogIndex.open(dir, options?);   // replays the WAL; reads only segment footers/filters
 *   await index.append(records);                          // LogSink: resolves once the records are durable (WAL)
 *   await index.search('level>=warn "link down"', { limit: 100, cursor })  // newest first, paged
 *   await index.count(q) / histogram(q, { bucketNs }) / topValues(q, 'device')
 *   const stop = index.subscribe(q, (hits) => …)          // live tail
 *   await index.flush();  index.stats();  await index.close();
 *
 * Layout: `<dir>/wal/wal-*.wal` (records not yet in a segment) and `<dir>/segments/seg-*.fks` (immutable);
 * `<dir>/LOCK` keeps a second process out (open() throws DirLockedError).
 * Sealing: unsealed records are written as a segment that names the WAL generation it covers; then that WAL is
 * deleted. Merging rewrites small segments as one that names the ones it replaces. A crash between the steps leaves
 * data that open() de-duplicates by those two markers, so an acknowledged record is present exactly once.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Level, LogLabels, LogRecord, LogSink } from '../../../shared/logs/record.js';
import { LEVELS } from '../../../shared/logs/record.js';
import { effectiveRange, parseQuery, type ParsedQuery, type QueryNode, type TimeRange } from '../../../shared/logs/query.js';
import { fieldValue, inRange, matchesRecord, type MatchableRecord } from '../../../shared/logs/query-match.js';
import { isAtomicTempFile, removeDurably, writeFileAtomic } from '../storage/atomic-file.js';
import { acquireDirLock, type DirLock } from '../storage/dir-lock.js';
import { WriteAheadLog } from '../storage/wal.js';
import { QueryPlan, blockInside, isLabelField } from './block-eval.js';
import { BitmapCache, BlockCache } from './block-cache.js';
import { BatchVersionError, decodeRecordBatch, encodeRecordBatch, labelsKey, sharedCopy } from './record-codec.js';
import { addMessageSource, allocateColumns, sortColumns, writeSegment, type BlockMeta, type EncodedSegment } from './segment-format.js';
import { encodeBatches } from './seal.js';
import { ThreadedBlockEncoder } from './block-encoder-pool.js';
import { BlockDamagedError, DEFAULT_BITMAP_CACHE_BYTES, Segment, SegmentDamagedError, SegmentVersionError, type DecodedBlock } from './segment.js';

export interface LogIndexOptions {
  /** Unsealed records that trigger sealing them into a segment (half as many while no seal is running). */
  sealRows?: number;
  /** Unsealed message characters that trigger sealing. */
  sealChars?: number;
  /** Seal unsealed records after this long without appends; 0 = never on idle. */
  idleSealMs?: number;
  /** Segments with fewer rows are merged once `mergeMinSegments` of them exist. */
  mergeBelowRows?: number;
  mergeMinSegments?: number;
  /** Oldest segments are deleted beyond these limits (checked after each seal and on open). */
  retention?: { maxBytes?: number; maxAgeNs?: bigint };
  blockCacheBytes?: number;
  /** Decompressed row bitmaps kept for queries, across all segments. */
  bitmapCacheBytes?: number;
  /** Rows per block (tests use small blocks). */
  blockRows?: number;
  /** Clock for `last 15m` and retention (tests). */
  nowNs?: () => bigint;
}

export interface DamageReport {
  file: string;
  block?: number;
  reason: string;
  /** Rows made unreadable, when known. */
  rows?: number;
}

export interface IndexStats {
  dir: string;
  segments: number;
  blocks: number;
  rows: number;
  unsealedRows: number;
  indexBytes: number;
  streams: number;
  minTsNs: bigint | null;
  maxTsNs: bigint | null;
  openMs: number;
  walRepairs: number;
  damage: DamageReport[];
}

export interface SearchHit {
  tsNs: bigint;
  labels: LogLabels;
  level: Level;
  message: string;
  fields?: Record<string, string>;
}

export interface QueryOptions {
  /** Extra bounds on top of the query's own (`fromNs` inclusive, `toNs` exclusive). */
  fromNs?: bigint;
  toNs?: bigint;
}

export interface SearchOptions extends QueryOptions {
  limit?: number;
  /** From a previous page's `cursor`: continue after its last hit. */
  cursor?: string | null;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Pass back for the next (older) page; null when this page is the last. */
  cursor: string | null;
}

export interface HistogramOptions extends QueryOptions {
  /** Bucket width, at least 1 ms. Default one minute. */
  bucketNs?: bigint;
}

export interface Histogram {
  bucketNs: bigint;
  /** Non-empty buckets only, oldest first. */
  buckets: Array<{ startNs: bigint; count: number }>;
  total: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export type TailListener = (hits: SearchHit[]) => void;

/** What the app and CLI use: implemented in-thread by LogIndex and off-thread by IndexClient. */
export interface LogIndexApi extends LogSink {
  search(query: string, options?: SearchOptions): Promise<SearchPage>;
  count(query: string, options?: QueryOptions): Promise<number>;
  histogram(query: string, options?: HistogramOptions): Promise<Histogram>;
  topValues(query: string, field: string, options?: QueryOptions & { limit?: number }): Promise<TopValue[]>;
  /** Live tail: `listener` gets each newly appended batch's matches. Resolves to an unsubscribe function. */
  subscribe(query: string, listener: TailListener): Promise<() => Promise<void>>;
  stats(): Promise<IndexStats>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Acknowledged records not yet in a segment, one entry per append, kept as their encoded WAL payload (off the
 * JS heap); decoded into records only when a query needs them.
 */
class UnsealedBatch {
  private decoded: MatchableRecord[] | null = null;
  constructor(
    readonly payload: Buffer,
    readonly rows: number,
    readonly chars: number,
    readonly generation: number,
  ) {}

  items(): MatchableRecord[] {
    this.decoded ??= decodeRecordBatch(this.payload).map((record) => ({ record, lower: record.message.toLowerCase() }));
    return this.decoded;
  }
}

/** A search result before its message is read: an unsealed record, or a row of a block. */
interface Entry {
  ts: bigint;
  order: number;
  record?: LogRecord;
  sealed?: { segment: Segment; blockIndex: number; decoded: DecodedBlock; row: number };
}

const DEFAULTS = {
  sealRows: 65_536,
  sealChars: 48 * 1024 * 1024,
  idleSealMs: 30_000,
  mergeBelowRows: 32_768,
  mergeMinSegments: 4,
  blockCacheBytes: 128 * 1024 * 1024,
  bitmapCacheBytes: DEFAULT_BITMAP_CACHE_BYTES,
};
/**
 * Query texts whose parse and plan are kept: a UI asks the same query for its count, histogram, pages and facets,
 * and parsing and hashing were a tenth of a rare word's count.
 */
const PREPARED_QUERIES = 64;
const ORDER_SEGMENT = 2 ** 26;
const ORDER_UNSEALED = 2 ** 52;
const MILLISECOND_NS = 1_000_000n;

export class LogIndex implements LogIndexApi {
  private segments: Segment[] = [];
  private sealedSegmentRows = new Map<Segment, number[]>();
  private unsealed: UnsealedBatch[] = [];
  private unsealedRows = 0;
  /** Records being sealed into segments (at most two seals): still answered from memory until their segment is in place. */
  private sealing: UnsealedBatch[] = [];
  private unsealedChars = 0;
  /** Unsealed rows and characters not yet handed to a seal (a seal takes every WAL generation before the current). */
  private rowsSinceRotation = 0;
  private charsSinceRotation = 0;
  private readonly inFlight = new Map<Promise<void>, number>();
  private maintenance: Promise<void> = Promise.resolve();
  /** The last seal's persist (its file, WAL drop, retention and merges); never rejects (errors go to maintenanceError). */
  private persisting: Promise<void> = Promise.resolve();
  /** Seals queued or encoding (not those only writing their file). */
  private sealsEncoding = 0;
  private maintenanceError: Error | null = null;
  /** Appends held back while too many rows wait for a seal: woken when a seal takes rows, or fails. */
  private roomWaiters: Array<() => void> = [];
  private nextSegmentId: number;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly subscribers = new Set<{ root: QueryNode; range: TimeRange; listener: TailListener }>();
  private readonly cache: BlockCache;
  /** Parsed queries and their plans by query text, least recently asked first. */
  private readonly prepared = new Map<string, { parsed: ParsedQuery; plan: QueryPlan }>();
  /** Shared by every segment of this index. */
  private readonly bitmaps: BitmapCache;
  /** Seals and merges hand their blocks to block-encoder worker threads. */
  private readonly encoder = new ThreadedBlockEncoder();
  private readonly damage: DamageReport[] = [];
  private readonly damagedSegments = new Set<Segment>();
  /** `${segment id}:${block}` of blocks found damaged: skipped from then on, so every answer agrees. */
  private readonly damagedBlocks = new Set<string>();
  private closed = false;
  private openMs = 0;
  private readonly options: typeof DEFAULTS & LogIndexOptions;

  private constructor(
    readonly dir: string,
    private readonly wal: WriteAheadLog,
    options: LogIndexOptions,
    private readonly walRepairs: number,
    private readonly lock: DirLock,
    bitmaps: BitmapCache,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.bitmaps = bitmaps;
    this.cache = new BlockCache(this.options.blockCacheBytes);
    this.nextSegmentId = 1;
  }

  static async open(dir: string, options: LogIndexOptions = {}): Promise<LogIndex> {
    const started = performance.now();
    const segmentDir = join(dir, 'segments');
    await mkdir(segmentDir, { recursive: true });
    const lock = await acquireDirLock(dir);
    try {
      return await LogIndex.openLocked(dir, options, lock, started);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private static async openLocked(dir: string, options: LogIndexOptions, lock: DirLock, started: number): Promise<LogIndex> {
    const segmentDir = join(dir, 'segments');
    const damage: DamageReport[] = [];
    const opened: Segment[] = [];
    const bitmaps = new BitmapCache(options.bitmapCacheBytes ?? DEFAULTS.bitmapCacheBytes);
    for (const name of (await readdir(segmentDir)).sort()) {
      const path = join(segmentDir, name);
      if (isAtomicTempFile(name)) {
        await rm(path, { force: true });
        continue;
      }
      if (!/^seg-\d+\.fks$/.test(name)) continue;
      try {
        opened.push(Segment.open(path, bitmaps));
      } catch (error) {
        if (!(error instanceof SegmentDamagedError)) {
          for (const segment of opened) segment.close();
          throw error;
        }
        damage.push({ file: path, reason: `segment unreadable: ${error.message}` });
      }
    }
    const replaced = new Set(opened.flatMap((segment) => segment.footer.replaces));
    const segments: Segment[] = [];
    for (const segment of opened) {
      if (replaced.has(segment.id)) {
        segment.close();
        await removeDurably(segment.path);
      } else segments.push(segment);
    }
    const coveredGeneration = Math.max(0, ...segments.map((segment) => segment.footer.walGeneration));
    const { wal, frames, repairs } = await WriteAheadLog.open(join(dir, 'wal'), { firstGeneration: coveredGeneration + 1 });
    await wal.dropThrough(coveredGeneration);
    const index = new LogIndex(dir, wal, options, repairs.length, lock, bitmaps);
    index.damage.push(...damage, ...repairs.map((repair) => ({ file: repair.file, reason: `WAL tail cut: ${repair.reason} (${repair.truncatedBytes} unacknowledged bytes)` })));
    index.segments = segments.sort((a, b) => a.id - b.id);
    for (const segment of segments) index.trackSegment(segment);
    const highestDamagedId = Math.max(0, ...damage.map((report) => Number(/seg-(\d+)/.exec(report.file)?.[1] ?? 0)));
    index.nextSegmentId = Math.max(highestDamagedId, ...segments.map((segment) => segment.id), 0) + 1;
    for (const frame of frames) {
      if (frame.generation <= coveredGeneration) continue;
      try {
        const records = decodeRecordBatch(frame.payload);
        index.addUnsealed(sharedCopy(frame.payload), records.length, records.reduce((sum, record) => sum + record.message.length, 0), frame.generation);
      } catch (error) {
        if (error instanceof BatchVersionError) {
          await index.closeFiles();
          throw new SegmentVersionError(`${join(dir, 'wal')} holds records in another format (${error.message}): move the index folder away and import the logs again`);
        }
        index.damage.push({ file: join(dir, 'wal'), reason: `undecodable WAL frame: ${(error as Error).message}` });
      }
    }
    index.openMs = performance.now() - started;
    await index.applyRetention();
    return index;
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    if (this.closed) throw new Error('index is closed');
    if (this.maintenanceError) throw this.maintenanceError;
    if (records.length === 0) return;
    const batch = encodeRecordBatch(records);
    while (this.unsealedRows >= this.options.sealRows * 2) {
      if (this.maintenanceError) throw this.maintenanceError;
      // rows replayed from the WAL at open have no seal yet; every other row past the limit has one queued
      if (this.rowsSinceRotation >= this.options.sealRows) this.scheduleSeal();
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    const generation = this.wal.currentGeneration;
    const durable = this.wal.append(batch.payload);
    this.inFlight.set(durable, generation);
    try {
      await durable;
    } finally {
      this.inFlight.delete(durable);
    }
    this.addUnsealed(batch.payload, batch.rows, batch.chars, generation);
    this.notify(records);
    if (this.rowsSinceRotation >= this.sealRowsNow() || this.charsSinceRotation >= this.options.sealChars) this.scheduleSeal();
    else this.armIdleSeal();
  }

  /** Seals every acknowledged record into segments and waits for background work. */
  async flush(): Promise<void> {
    await Promise.all(this.inFlight.keys());
    if (this.unsealedRows > 0) this.scheduleSeal();
    await this.settled();
    if (this.maintenanceError) throw this.maintenanceError;
  }

  /** `seal: false` leaves unsealed records in the WAL (replayed on the next open) for a quicker stop. */
  async close(options: { seal?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await Promise.all(this.inFlight.keys());
    if (this.unsealedRows > 0 && options.seal !== false) this.scheduleSeal();
    await this.settled();
    await this.encoder.close();
    await this.closeFiles();
    await this.lock.release();
    this.subscribers.clear();
    this.cache.clear();
  }

  private async closeFiles(): Promise<void> {
    await this.wal.close();
    for (const segment of this.segments) segment.close();
  }

  async subscribe(query: string, listener: TailListener): Promise<() => Promise<void>> {
    const parsed = parseQuery(query);
    const subscriber = { root: parsed.root, range: parsed.range, listener };
    this.subscribers.add(subscriber);
    return async () => {
      this.subscribers.delete(subscriber);
    };
  }

  async stats(): Promise<IndexStats> {
    const live = this.segments.filter((segment) => segment.footer.rows > 0);
    const unsealed = this.unsealedItems().map(({ item }) => item);
    let minTs: bigint | null = null;
    let maxTs: bigint | null = null;
    const widen = (low: bigint, high: bigint) => {
      if (minTs === null || low < minTs) minTs = low;
      if (maxTs === null || high > maxTs) maxTs = high;
    };
    for (const segment of live) widen(segment.footer.minTs, segment.footer.maxTs);
    for (const item of unsealed) widen(item.record.tsNs, item.record.tsNs);
    const streams = new Set<string>();
    for (const segment of this.segments) for (const key of segment.footer.streams) streams.add(key);
    for (const item of unsealed) streams.add(labelsKey(item.record.labels));
    return {
      dir: this.dir,
      segments: this.segments.length,
      blocks: this.segments.reduce((sum, segment) => sum + segment.footer.blocks.length, 0),
      rows: this.segments.reduce((sum, segment) => sum + segment.footer.rows, 0) + unsealed.length,
      unsealedRows: unsealed.length,
      indexBytes: this.segments.reduce((sum, segment) => sum + segment.fileBytes, 0),
      streams: streams.size,
      minTsNs: minTs,
      maxTsNs: maxTs,
      openMs: this.openMs,
      walRepairs: this.walRepairs,
      damage: [...this.damage],
    };
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchPage> {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 10_000));
    const { plan, range } = this.prepare(query, options);
    const cursor = options.cursor ? decodeCursor(options.cursor) : null;
    const before = (ts: bigint, order: number) => !cursor || ts < cursor.ts || (ts === cursor.ts && order < cursor.order);
    const results: Entry[] = [];
    const byNewest = (a: Entry, b: Entry) => (a.ts === b.ts ? b.order - a.order : a.ts > b.ts ? -1 : 1);

    this.unsealedItems().forEach(({ item, position }) => {
      const ts = item.record.tsNs;
      const order = ORDER_UNSEALED + position;
      if (inRange(ts, range) && before(ts, order) && matchesRecord(plan.root, item)) results.push({ ts, order, record: item.record });
    });
    results.sort(byNewest);
    results.length = Math.min(results.length, limit);

    const candidates = this.candidateBlocks(plan, range).filter(({ block }) => !cursor || block.minTs <= cursor.ts);
    candidates.sort((a, b) => (a.block.maxTs === b.block.maxTs ? 0 : a.block.maxTs > b.block.maxTs ? -1 : 1));
    for (const { segment, blockIndex, block } of candidates) {
      if (results.length >= limit && block.maxTs < results[limit - 1].ts) break;
      const firstOrder = segment.id * ORDER_SEGMENT + this.sealedSegmentRows.get(segment)![blockIndex];
      this.matchBlock(
        plan,
        segment,
        blockIndex,
        range,
        (decoded, rows) => {
          let taken = 0;
          for (let row = rows.length - 1; row >= 0 && taken < limit; row--) {
            if (!rows[row]) continue;
            taken++;
            const ts = block.minTs + BigInt(decoded.tsOffset[row]);
            results.push({ ts, order: firstOrder + row, sealed: { segment, blockIndex, decoded, row } });
          }
        },
        (decoded, mask) => {
          if (!cursor || cursor.ts > block.maxTs) return;
          const cursorOffset = Number(cursor.ts - block.minTs);
          const offsets = decoded.tsOffset;
          for (let row = 0; row < mask.length; row++) {
            if (offsets[row] > cursorOffset || (offsets[row] === cursorOffset && firstOrder + row >= cursor.order)) mask[row] = 0;
          }
        },
      );
      results.sort(byNewest);
      results.length = Math.min(results.length, limit);
    }
    const last = results[results.length - 1];
    return { hits: this.hitsOf(results), cursor: results.length === limit && last ? `${last.ts}:${last.order}` : null };
  }

  /** The results with their messages, read block by block (a damaged block's rows are left out, and reported). */
  private hitsOf(results: Entry[]): SearchHit[] {
    const hits: SearchHit[] = [];
    for (let i = 0; i < results.length; ) {
      const { record, sealed } = results[i];
      if (!sealed) {
        hits.push({ ...record! });
        i++;
        continue;
      }
      let end = i + 1;
      while (end < results.length && results[end].sealed?.decoded === sealed.decoded) end++;
      const run = results.slice(i, end);
      const blockHits = this.withBlock(sealed.segment, sealed.blockIndex, (decoded) => run.map((entry) => hitFromBlock(sealed.segment, decoded, entry.sealed!.row, entry.ts)), sealed.decoded);
      if (blockHits) hits.push(...blockHits);
      i = end;
    }
    return hits;
  }

  async count(query: string, options: QueryOptions = {}): Promise<number> {
    const { plan, range } = this.prepare(query, options);
    let total = 0;
    for (const { item } of this.unsealedItems()) if (inRange(item.record.tsNs, range) && matchesRecord(plan.root, item)) total++;
    for (const { segment, blockIndex, block } of this.candidateBlocks(plan, range)) {
      const quick = plan.countWithoutReading(segment, block, range);
      if (quick !== null) {
        if (this.verify(segment, blockIndex)) total += quick;
        continue;
      }
      total += this.countInBlock(plan, segment, blockIndex, range);
    }
    return total;
  }

  async histogram(query: string, options: HistogramOptions = {}): Promise<Histogram> {
    const bucketNs = options.bucketNs ?? 60_000_000_000n;
    if (bucketNs < MILLISECOND_NS) throw new RangeError('histogram buckets must be at least 1 ms');
    const { plan, range } = this.prepare(query, options);
    const counts = new Map<number, number>();
    const width = Number(bucketNs);
    const bump = (bucket: number, by: number) => counts.set(bucket, (counts.get(bucket) ?? 0) + by);
    for (const { item } of this.unsealedItems()) {
      if (inRange(item.record.tsNs, range) && matchesRecord(plan.root, item)) bump(Number(item.record.tsNs / bucketNs), 1);
    }
    for (const { segment, blockIndex, block } of this.candidateBlocks(plan, range)) {
      this.matchBlock(plan, segment, blockIndex, range, (decoded, rows) => {
        const base = Number(block.minTs / bucketNs);
        const remainder = Number(block.minTs % bucketNs);
        const offsets = decoded.tsOffset;
        let currentBucket = -1;
        let run = 0;
        for (let row = 0; row < rows.length; row++) {
          if (!rows[row]) continue;
          const bucket = base + Math.floor((remainder + offsets[row]) / width);
          if (bucket !== currentBucket) {
            if (run > 0) bump(currentBucket, run);
            currentBucket = bucket;
            run = 0;
          }
          run++;
        }
        if (run > 0) bump(currentBucket, run);
      });
    }
    const buckets = [...counts].sort((a, b) => a[0] - b[0]).map(([bucket, count]) => ({ startNs: BigInt(bucket) * bucketNs, count }));
    return { bucketNs, buckets, total: buckets.reduce((sum, bucket) => sum + bucket.count, 0) };
  }

  async topValues(query: string, field: string, options: QueryOptions & { limit?: number } = {}): Promise<TopValue[]> {
    const { plan, range } = this.prepare(query, options);
    const name = isLabelField(field.toLowerCase()) || field.toLowerCase() === 'level' ? field.toLowerCase() : field;
    const counts = new Map<string, number>();
    const bump = (value: string | undefined, by = 1) => {
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + by);
    };
    for (const { item } of this.unsealedItems()) if (inRange(item.record.tsNs, range) && matchesRecord(plan.root, item)) bump(fieldValue(item.record, name));
    for (const { segment, blockIndex } of this.candidateBlocks(plan, range)) {
      this.matchBlock(plan, segment, blockIndex, range, (decoded, rows) => {
        if (name === 'level' || isLabelField(name)) {
          const perKey = new Float64Array(name === 'level' ? LEVELS.length : segment.labels.length);
          const column = name === 'level' ? decoded.level : decoded.stream;
          for (let row = 0; row < rows.length; row++) if (rows[row]) perKey[column[row]]++;
          perKey.forEach((count, key) => {
            if (count > 0) bump(name === 'level' ? LEVELS[key] : (segment.labels[key] as unknown as Record<string, string | undefined>)[name], count);
          });
        } else {
          for (let row = 0; row < rows.length; row++) if (rows[row]) bump(decoded.fields(row)?.[name]);
        }
      });
    }
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, options.limit ?? 10);
  }

  /** The query's plan (kept for the PREPARED_QUERIES most recent query texts, as a prepared statement is) and range. */
  private prepare(query: string, options: QueryOptions): { plan: QueryPlan; range: TimeRange } {
    let prepared = this.prepared.get(query);
    if (prepared) this.prepared.delete(query);
    else {
      const parsed = parseQuery(query);
      prepared = { parsed, plan: new QueryPlan(parsed.root) };
      if (this.prepared.size >= PREPARED_QUERIES) this.prepared.delete(this.prepared.keys().next().value!);
    }
    this.prepared.set(query, prepared);
    this.cache.beginQuery();
    return { plan: prepared.plan, range: effectiveRange(prepared.parsed, this.now(), options) };
  }

  private now(): bigint {
    return this.options.nowNs ? this.options.nowNs() : BigInt(Date.now()) * MILLISECOND_NS;
  }

  /** Every unsealed record in storage order, with its position in that order. */
  private unsealedItems(): Array<{ item: MatchableRecord; position: number }> {
    const out: Array<{ item: MatchableRecord; position: number }> = [];
    for (const batch of [...this.sealing, ...this.unsealed]) for (const item of batch.items()) out.push({ item, position: out.length });
    return out;
  }

  private candidateBlocks(plan: QueryPlan, range: TimeRange): Array<{ segment: Segment; blockIndex: number; block: BlockMeta }> {
    const out: Array<{ segment: Segment; blockIndex: number; block: BlockMeta }> = [];
    for (const segment of this.segments) {
      const { footer } = segment;
      if (footer.rows === 0 || !overlaps(footer.minTs, footer.maxTs, range)) continue;
      for (const blockIndex of plan.candidateBlocks(segment)) {
        if (this.damagedBlocks.size > 0 && this.damagedBlocks.has(`${segment.id}:${blockIndex}`)) continue;
        const block = footer.blocks[blockIndex];
        if (overlaps(block.minTs, block.maxTs, range)) out.push({ segment, blockIndex, block });
      }
    }
    return out;
  }

  /**
   * Calls `use` with the block's rows matching the plan within `range` (and `narrow`), while the block is in use: what
   * it loads is counted by the block cache, and its damage is reported and isolated. Null when the block is damaged.
   */
  private matchBlock<T>(
    plan: QueryPlan,
    segment: Segment,
    blockIndex: number,
    range: TimeRange,
    use: (decoded: DecodedBlock, rows: Uint8Array) => T,
    narrow?: (decoded: DecodedBlock, mask: Uint8Array) => void,
  ): T | null {
    return this.withBlock(segment, blockIndex, (decoded) => {
      const mask = rangeMask(decoded, range, narrow !== undefined);
      narrow?.(decoded, mask);
      return use(decoded, plan.evaluate(segment, decoded, mask));
    });
  }

  /** The number of rows of one block matching the plan within `range`; 0 when the block is damaged (reported). */
  private countInBlock(plan: QueryPlan, segment: Segment, blockIndex: number, range: TimeRange): number {
    const whole = blockInside(segment.footer.blocks[blockIndex], range);
    const counted = this.withBlock(segment, blockIndex, (decoded) => (whole ? plan.countTextInGroups(segment, decoded) : null) ?? countOnes(plan.evaluate(segment, decoded, rangeMask(decoded, range, false))));
    return counted ?? 0;
  }

  /**
   * `use` on the decoded block (verified, from the cache, or `earlier`: as an earlier visit of the same query left it,
   * so that it is not decoded again); null when the block is damaged (reported).
   */
  private withBlock<T>(segment: Segment, blockIndex: number, use: (decoded: DecodedBlock) => T, earlier?: DecodedBlock): T | null {
    if (!this.verify(segment, blockIndex)) return null;
    const decoded = earlier ?? this.cache.get(segment, blockIndex);
    try {
      const result = use(decoded);
      this.cache.settle(segment, blockIndex, decoded);
      return result;
    } catch (error) {
      if (!(error instanceof BlockDamagedError)) throw error;
      this.reportBlockDamage(segment, blockIndex, error.message);
      return null;
    }
  }

  /**
   * Checks a block's checksums the first time it is used, even by an answer from its filters alone, so that a
   * damaged block is left out of every answer; false (reported) when damaged.
   */
  private verify(segment: Segment, blockIndex: number): boolean {
    try {
      segment.verify(blockIndex);
      return true;
    } catch (error) {
      if (!(error instanceof BlockDamagedError)) throw error;
      this.reportBlockDamage(segment, blockIndex, error.message);
      return false;
    }
  }

  private reportBlockDamage(segment: Segment, blockIndex: number, reason: string): void {
    this.cache.forget(segment, blockIndex);
    this.damagedSegments.add(segment);
    this.damagedBlocks.add(`${segment.id}:${blockIndex}`);
    if (this.damage.some((report) => report.file === segment.path && report.block === blockIndex)) return;
    this.damage.push({ file: segment.path, block: blockIndex, reason, rows: segment.footer.blocks[blockIndex].rows });
  }

  private addUnsealed(payload: Buffer, rows: number, chars: number, generation: number): void {
    this.unsealed.push(new UnsealedBatch(payload, rows, chars, generation));
    this.unsealedRows += rows;
    this.unsealedChars += chars;
    this.rowsSinceRotation += rows;
    this.charsSinceRotation += chars;
  }

  private notify(records: readonly LogRecord[]): void {
    if (this.subscribers.size === 0) return;
    const items = records.map((record) => ({ record, lower: record.message.toLowerCase() }));
    for (const subscriber of this.subscribers) {
      const hits = items.filter((item) => inRange(item.record.tsNs, subscriber.range) && matchesRecord(subscriber.root, item)).map((item) => ({ ...item.record }));
      if (hits.length > 0) {
        try {
          subscriber.listener(hits);
        } catch {
          this.subscribers.delete(subscriber);
        }
      }
    }
  }

  private armIdleSeal(): void {
    if (this.options.idleSealMs <= 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.closed && this.unsealedRows > 0) this.scheduleSeal();
    }, this.options.idleSealMs);
    this.idleTimer.unref();
  }

  /**
   * Rows that start a seal: half of `sealRows` while no seal is queued or encoding, so that at the start of a burst of
   * appends the encoders start after half as many rows (at the default, such a segment is still too large to merge).
   */
  private sealRowsNow(): number {
    return this.sealsEncoding === 0 ? Math.ceil(this.options.sealRows / 2) : this.options.sealRows;
  }

  private scheduleSeal(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const generation = this.wal.rotate();
    this.rowsSinceRotation = 0;
    this.charsSinceRotation = 0;
    this.sealsEncoding++;
    this.enqueue(() => this.seal(generation).finally(() => this.sealsEncoding--));
  }

  /** Once every scheduled seal's segment is in place. */
  private async settled(): Promise<void> {
    await this.maintenance;
    await this.persisting;
  }

  private enqueue(task: () => Promise<void>): void {
    this.maintenance = this.maintenance
      .then(task)
      .catch((error: Error) => {
        this.maintenanceError = error;
      })
      .finally(() => this.wakeAppends());
  }

  private wakeAppends(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Encodes every record of WAL generations ≤ `generation` into a segment, then hands the file to `persist` once the
   * seal before is in place. Returning then lets the next seal encode while this one writes and syncs its file.
   */
  private async seal(generation: number): Promise<void> {
    const waiting = [...this.inFlight].filter(([, gen]) => gen <= generation).map(([promise]) => promise);
    await Promise.allSettled(waiting);
    const take = this.unsealed.filter((batch) => batch.generation <= generation);
    if (take.length === 0) return;
    this.unsealed = this.unsealed.filter((batch) => batch.generation > generation);
    this.countUnsealed();
    this.wakeAppends();
    this.sealing.push(...take);
    const { id, path } = this.nextSegment();
    let segment: EncodedSegment;
    try {
      segment = await encodeBatches({ id, walGeneration: generation, replaces: [] }, take.map((batch) => batch.payload), { blockRows: this.options.blockRows, encoder: this.encoder });
      await this.persisting;
      if (this.maintenanceError) throw this.maintenanceError;
    } catch (error) {
      this.unseal(take);
      throw error;
    }
    this.persisting = this.persist(path, segment.parts, take, generation).catch((error: Error) => {
      this.maintenanceError = error;
    });
  }

  /** Writes a sealed segment and puts it in place of its records, then drops their WAL files. */
  private async persist(path: string, parts: Uint8Array[], take: UnsealedBatch[], generation: number): Promise<void> {
    try {
      await writeFileAtomic(path, parts);
      this.adopt(path);
    } catch (error) {
      // still in the WAL and answered from memory; the next open retries
      this.unseal(take);
      throw error;
    }
    this.sealing = this.sealing.filter((batch) => !take.includes(batch));
    await this.wal.dropThrough(generation);
    await this.applyRetention();
    await this.mergeSmallSegments();
  }

  /** Gives the batches of a failed seal back to the unsealed records, in WAL order. */
  private unseal(take: UnsealedBatch[]): void {
    this.sealing = this.sealing.filter((batch) => !take.includes(batch));
    this.unsealed = [...take, ...this.unsealed].sort((a, b) => a.generation - b.generation);
    this.countUnsealed();
  }

  private countUnsealed(): void {
    this.unsealedRows = 0;
    this.unsealedChars = 0;
    for (const batch of this.unsealed) {
      this.unsealedRows += batch.rows;
      this.unsealedChars += batch.chars;
    }
  }

  private nextSegment(): { id: number; path: string } {
    const id = this.nextSegmentId++;
    return { id, path: join(this.dir, 'segments', `seg-${String(id).padStart(10, '0')}.fks`) };
  }

  private adopt(path: string): void {
    const segment = Segment.open(path, this.bitmaps);
    this.segments.push(segment);
    this.trackSegment(segment);
  }

  private trackSegment(segment: Segment): void {
    const starts: number[] = [];
    let row = 0;
    for (const block of segment.footer.blocks) {
      starts.push(row);
      row += block.rows;
    }
    this.sealedSegmentRows.set(segment, starts);
  }

  private async mergeSmallSegments(): Promise<void> {
    const small = this.segments.filter((segment) => segment.footer.rows < this.options.mergeBelowRows && !segment.filterDamaged && !this.damagedSegments.has(segment));
    if (small.length < this.options.mergeMinSegments) return;
    const streams = new Map<string, number>();
    const columns = allocateColumns(small.reduce((sum, segment) => sum + segment.footer.rows, 0));
    let at = 0;
    try {
      for (const segment of small) {
        const remap = segment.footer.streams.map((key) => {
          let stream = streams.get(key);
          if (stream === undefined) streams.set(key, (stream = streams.size));
          return stream;
        });
        segment.footer.blocks.forEach((block, blockIndex) => {
          const decoded = segment.block(blockIndex);
          const ends = decoded.messageOffsets();
          addMessageSource(columns, at, { bytes: decoded.messages(), ascii: block.ascii }, ends.subarray(1).map((end, row) => end - ends[row]));
          for (let row = 0; row < block.rows; row++, at++) {
            const fields = decoded.fields(row);
            columns.ts[at] = block.minTs + BigInt(decoded.tsOffset[row]);
            columns.stream[at] = remap[decoded.stream[row]];
            columns.level[at] = decoded.level[row];
            columns.fields[at] = fields ? JSON.stringify(fields) : '';
          }
        });
      }
    } catch (error) {
      if (!(error instanceof BlockDamagedError)) throw error;
      return;
    }
    const walGeneration = Math.max(...small.map((segment) => segment.footer.walGeneration));
    const { id, path } = this.nextSegment();
    await writeSegment(path, { id, walGeneration, replaces: small.map((segment) => segment.id), streams: [...streams.keys()] }, sortColumns(columns), { blockRows: this.options.blockRows, encoder: this.encoder });
    this.adopt(path);
    await this.dropSegments(small);
  }

  private async dropSegments(drop: Segment[]): Promise<void> {
    this.segments = this.segments.filter((segment) => !drop.includes(segment));
    for (const segment of drop) {
      this.sealedSegmentRows.delete(segment);
      this.cache.forgetSegment(segment);
      segment.close();
      await removeDurably(segment.path);
    }
  }

  private async applyRetention(): Promise<void> {
    const { maxBytes, maxAgeNs } = this.options.retention ?? {};
    if (maxBytes === undefined && maxAgeNs === undefined) return;
    const oldestFirst = [...this.segments].sort((a, b) => (a.footer.maxTs < b.footer.maxTs ? -1 : a.footer.maxTs > b.footer.maxTs ? 1 : a.id - b.id));
    const drop: Segment[] = [];
    let total = oldestFirst.reduce((sum, segment) => sum + segment.fileBytes, 0);
    const cutoff = maxAgeNs !== undefined ? this.now() - maxAgeNs : undefined;
    for (const segment of oldestFirst) {
      const tooOld = cutoff !== undefined && segment.footer.maxTs < cutoff;
      const tooBig = maxBytes !== undefined && total > maxBytes;
      if (!tooOld && !tooBig) break;
      drop.push(segment);
      total -= segment.fileBytes;
    }
    if (drop.length > 0) await this.dropSegments(drop);
  }
}

function overlaps(minTs: bigint, maxTs: bigint, range: TimeRange): boolean {
  return (range.fromNs === undefined || maxTs >= range.fromNs) && (range.toNs === undefined || minTs < range.toNs);
}

let allRows = new Uint8Array(0);

/**
 * 1 for rows inside `range`; reads the timestamp column only when the block straddles a bound. A block wholly
 * inside gets a shared, read-only mask unless `writable`.
 */
function rangeMask(block: DecodedBlock, range: TimeRange, writable: boolean): Uint8Array {
  const { minTs, maxTs } = block.meta;
  const from = range.fromNs !== undefined && range.fromNs > minTs ? Number(range.fromNs - minTs) : -1;
  const to = range.toNs !== undefined && range.toNs <= maxTs ? Number(range.toNs - minTs) : Infinity;
  if (from < 0 && to === Infinity) {
    if (writable) return new Uint8Array(block.rows).fill(1);
    if (allRows.length < block.rows) allRows = new Uint8Array(block.rows).fill(1);
    return allRows.subarray(0, block.rows);
  }
  const mask = new Uint8Array(block.rows);
  const offsets = block.tsOffset;
  for (let row = 0; row < mask.length; row++) if (offsets[row] >= from && offsets[row] < to) mask[row] = 1;
  return mask;
}

/** The number of 1s in a 0/1 row mask: by native search while they are sparse (a rare term's), then row by row. */
function countOnes(rows: Uint8Array): number {
  let total = 0;
  for (let at = rows.indexOf(1); at !== -1; at = rows.indexOf(1, at + 1)) {
    total++;
    if (total * 16 > rows.length) {
      for (let row = at + 1; row < rows.length; row++) total += rows[row];
      return total;
    }
  }
  return total;
}

function hitFromBlock(segment: Segment, block: DecodedBlock, row: number, tsNs: bigint): SearchHit {
  const hit: SearchHit = { tsNs, labels: segment.labels[block.stream[row]], level: LEVELS[block.level[row]], message: block.message(row) };
  const fields = block.fields(row);
  if (fields) hit.fields = fields;
  return hit;
}

function decodeCursor(cursor: string): { ts: bigint; order: number } {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new RangeError(`invalid cursor "${cursor}"`);
  return { ts: BigInt(match[1]), order: Number(match[2]) };
}
