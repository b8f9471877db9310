/**
 * A segment opened for reading: footer and filter area in memory, blocks read and verified on demand.
 * Damage is isolated: a bad footer makes the whole segment unreadable (SegmentDamagedError), a bad filter area only
 * disables skipping, a bad block (BlockDamagedError) loses that block alone.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliDecompressSync, crc32, inflateRawSync } from 'node:zlib';
import { BitmapCache } from './block-cache.js';
import { ByteReader } from './bytes.js';
import { labelsFromKey } from './record-codec.js';
import { BloomMatrix, RowGroupFilter } from './bloom-filter.js';
import { DEFLATED_COLUMNS_VERSION, OLDEST_READABLE_VERSION, SEGMENT_END, SEGMENT_MAGIC, SEGMENT_VERSION, TRAILER_BYTES, parseFooter, type BlockMeta, type SegmentFooter } from './segment-format.js';
import type { LogLabels } from '../../../shared/logs/record.js';

export const DEFAULT_BITMAP_CACHE_BYTES = 64 * 1024 * 1024;

export class SegmentDamagedError extends Error {}
/** A segment written by another version of the format: the index must be rebuilt (re-imported) to be read. */
export class SegmentVersionError extends Error {}
export class BlockDamagedError extends Error {}

export class Segment {
  readonly labels: LogLabels[];
  readonly fileBytes: number;
  /** Null when the filter area failed its checksum: every block is then read. */
  private readonly filter: Buffer | null;
  /** The filter area as 32-bit words (blooms and keys are aligned to them). */
  private readonly filterWords: Uint32Array | null;
  readonly filterDamaged: boolean;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly footer: SegmentFooter,
    filter: Buffer | null,
    fileBytes: number,
    private readonly bitmaps: BitmapCache,
  ) {
    this.filter = filter;
    this.filterWords = filter ? new Uint32Array(filter.buffer, filter.byteOffset, filter.length >> 2) : null;
    this.filterDamaged = filter === null;
    this.fileBytes = fileBytes;
    this.labels = footer.streams.map(labelsFromKey);
    this.verified = new Uint8Array(footer.blocks.length);
  }

  /** `bitmaps` is shared by the segments of one index; a lone segment (tests, tools) gets its own. */
  static open(path: string, bitmaps = new BitmapCache(DEFAULT_BITMAP_CACHE_BYTES)): Segment {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size < SEGMENT_MAGIC.length + TRAILER_BYTES) throw new SegmentDamagedError('file too short');
      const trailer = readAt(fd, size - TRAILER_BYTES, TRAILER_BYTES);
      if (!trailer.subarray(8).equals(SEGMENT_END)) throw new SegmentDamagedError('missing end marker');
      const footerBytes = trailer.readUInt32LE(0);
      const footerStart = size - TRAILER_BYTES - footerBytes;
      if (footerStart < SEGMENT_MAGIC.length) throw new SegmentDamagedError('implausible footer length');
      const footerRaw = readAt(fd, footerStart, footerBytes);
      if (crc32(footerRaw) !== trailer.readUInt32LE(4)) throw new SegmentDamagedError('footer checksum mismatch');
      const footer = parseFooter(footerRaw);
      if (!(footer.version >= OLDEST_READABLE_VERSION && footer.version <= SEGMENT_VERSION)) {
        throw new SegmentVersionError(
          `${path} has segment format ${String(footer.version)}, this FieldKit reads formats ${OLDEST_READABLE_VERSION} to ${SEGMENT_VERSION}: move the index folder away and import the logs again`,
        );
      }
      const filterRaw = readAt(fd, footer.filterOffset, footer.filterBytes);
      const filter = crc32(filterRaw) === footer.filterCrc ? Buffer.from(new Uint8Array(filterRaw)) : null;
      return new Segment(path, fd, footer, filter, size, bitmaps);
    } catch (error) {
      closeSync(fd);
      if (error instanceof SegmentDamagedError || error instanceof SegmentVersionError) throw error;
      throw new SegmentDamagedError((error as Error).message);
    }
  }

  get id(): number {
    return this.footer.id;
  }

  get name(): string {
    return basename(this.path);
  }

  /** Whether the block's bloom filter may hold the key (true when the filter area is damaged). */
  mayHold(block: BlockMeta, h1: number, h2: number): boolean {
    return this.filterWords === null || BloomMatrix.has(this.filterWords, this.footer.bloomBuckets, this.footer.blocks.length, block.bloomSlot, h1, h2);
  }

  /**
   * Sets `out[b]` to 1 for each block b whose bloom filter may hold every key of `keys` (flat: h1, h2, h1, h2…), else
   * 0 (all 1 when the filter area is damaged); `out` is at least as long as the segment has blocks.
   */
  blocksHoldingAll(keys: Uint32Array, out: Uint8Array): void {
    const { bloomBuckets, blocks } = this.footer;
    out.fill(1, 0, blocks.length);
    if (this.filterWords === null) return;
    for (let i = 0; i < keys.length; i += 2) BloomMatrix.narrow(this.filterWords, bloomBuckets, blocks.length, keys[i], keys[i + 1], out);
  }

  /**
   * For a word without a bitmap in the block and at least GROUP_MIN_LENGTH long: bit g set for each row group g that
   * may hold it (groups of groupRowsOf(block.rows) rows); all bits set when the filter area is damaged.
   */
  wordGroups(block: BlockMeta, h1: number, h2: number): number {
    const words = this.filterWords;
    if (words === null) return -1;
    if (block.groupWords === 0) return 0;
    return RowGroupFilter.groups(words, block.groupOffset >> 2, block.groupWords, h1, h2);
  }

  /** The row bitmap of a frequent key, or null when the block keeps none for it. */
  posting(block: BlockMeta, h1: number, h2: number): Uint8Array | null {
    const index = this.postingIndex(block, h1, h2);
    if (index < 0) return null;
    return this.bitmaps.get(block, index, Math.ceil(block.rows / 8), () => this.postingBitmaps(block));
  }

  /** Whether the block's key table lists the key (without decompressing its bitmaps). */
  keepsPosting(block: BlockMeta, h1: number, h2: number): boolean {
    return this.postingIndex(block, h1, h2) >= 0;
  }

  /** The position of the key in the block's sorted key table, or -1. */
  private postingIndex(block: BlockMeta, h1: number, h2: number): number {
    const words = this.filterWords;
    if (!words || block.postingKeys === 0) return -1;
    const count = block.postingKeys;
    const first = (block.postingsOffset >> 2) - count * 2;
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const k1 = words[first + mid];
      const k2 = words[first + count + mid];
      if (k1 === h1 && k2 === h2) return mid;
      if (k1 < h1 || (k1 === h1 && k2 < h2)) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** A block's bitmaps decompressed (null if they do not decompress: filters are then just not used). */
  private postingBitmaps(block: BlockMeta): Uint8Array | null {
    try {
      const bitmaps = this.unpack(this.filter!.subarray(block.postingsOffset, block.postingsOffset + block.postingsBytes), false);
      // plain Uint8Array views (not Buffers) keep the bitmap loops monomorphic
      return bitmaps.length === block.postingKeys * Math.ceil(block.rows / 8) ? new Uint8Array(bitmaps.buffer, bitmaps.byteOffset, bitmaps.length) : null;
    } catch {
      return null;
    }
  }

  private readonly verified: Uint8Array;

  /** Checks the block's column checksums (once: later calls return at once); throws BlockDamagedError. */
  verify(index: number): void {
    if (this.verified[index] === 1) return;
    const block = this.footer.blocks[index];
    const columns: Array<[string, number]> = [['meta column', block.metaBytes], ['message column', block.messageBytes], ['fields column', block.fieldBytes]];
    let bytes: Buffer;
    try {
      bytes = readAt(this.fd, block.offset, block.metaBytes + block.messageBytes + block.fieldBytes);
    } catch (error) {
      throw new BlockDamagedError(`block unreadable: ${(error as Error).message}`);
    }
    let at = 0;
    columns.forEach(([what, length], column) => {
      if (crc32(bytes.subarray(at, at + length)) !== block.crcs[column]) throw new BlockDamagedError(`${what} checksum mismatch`);
      at += length;
    });
    this.verified[index] = 1;
  }

  /** A lazy reader of one block: each column is read, checked and decompressed on first use. */
  block(index: number): DecodedBlock {
    return new DecodedBlock(this.footer.blocks[index], (offset, length, crc, what, messages) => {
      let bytes: Buffer;
      try {
        bytes = readAt(this.fd, offset, length);
      } catch (error) {
        throw new BlockDamagedError(`${what} unreadable: ${(error as Error).message}`);
      }
      if (crc32(bytes) !== crc) throw new BlockDamagedError(`${what} checksum mismatch`);
      try {
        return this.unpack(bytes, messages === true);
      } catch (error) {
        throw new BlockDamagedError(`${what} undecodable: ${(error as Error).message}`);
      }
    });
  }

  /** Decompresses a block column or a block's bitmaps: brotli, but for what format 3 deflated. */
  private unpack(bytes: Uint8Array, messages: boolean): Buffer {
    return messages || this.footer.version > DEFLATED_COLUMNS_VERSION ? brotliDecompressSync(bytes) : inflateRawSync(bytes);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw new Error(`short read at ${position + done}`);
    done += read;
  }
  return buffer;
}

type ColumnLoader = (offset: number, length: number, crc: number, what: string, messages?: boolean) => Buffer;

interface Columns {
  tsOffset: Float64Array;
  stream: Uint32Array;
  level: Uint8Array;
  messageEnd: Uint32Array;
  /** Null in a block without fields (most blocks): its field lengths are all 0. */
  fieldEnd: Uint32Array | null;
}

/** One block's columns, each loaded (and verified) on first use; throws BlockDamagedError. */
export class DecodedBlock {
  readonly rows: number;
  private columns: Columns | null = null;
  private messageBytes: Buffer | null = null;
  private textCache: string | null = null;
  private lowerCache: string | null = null;
  private fieldBytes: Buffer | null = null;

  constructor(
    readonly meta: BlockMeta,
    private readonly load: ColumnLoader,
  ) {
    this.rows = meta.rows;
  }

  private get cols(): Columns {
    if (this.columns) return this.columns;
    const rows = this.rows;
    const raw = this.load(this.meta.offset, this.meta.metaBytes, this.meta.crcs[0], 'meta column');
    const columns: Columns = {
      tsOffset: new Float64Array(rows),
      stream: new Uint32Array(rows),
      level: new Uint8Array(rows),
      messageEnd: new Uint32Array(rows + 1),
      fieldEnd: this.meta.hasFields ? new Uint32Array(rows + 1) : null,
    };
    const fieldEnd = columns.fieldEnd;
    try {
      const reader = new ByteReader(raw);
      let ts = 0;
      for (let i = 0; i < rows; i++) {
        ts += reader.varint();
        columns.tsOffset[i] = ts;
        columns.stream[i] = reader.varint();
        columns.level[i] = reader.u8();
        columns.messageEnd[i + 1] = columns.messageEnd[i] + reader.varint();
        const fieldLength = reader.varint();
        if (fieldEnd) fieldEnd[i + 1] = fieldEnd[i] + fieldLength;
      }
    } catch (error) {
      throw new BlockDamagedError(`meta column undecodable: ${(error as Error).message}`);
    }
    this.columns = columns;
    return columns;
  }

  /** Nanoseconds after the block's minTs. */
  get tsOffset(): Float64Array {
    return this.cols.tsOffset;
  }

  get stream(): Uint32Array {
    return this.cols.stream;
  }

  get level(): Uint8Array {
    return this.cols.level;
  }

  /** Row i's message spans [ends[i], ends[i + 1]) of messages() (and of text() in ASCII blocks). */
  messageOffsets(): Uint32Array {
    return this.cols.messageEnd;
  }

  messages(): Buffer {
    if (!this.messageBytes) {
      const { offset, metaBytes, messageBytes, crcs } = this.meta;
      const bytes = this.load(offset + metaBytes, messageBytes, crcs[1], 'message column', true);
      if (bytes.length !== this.cols.messageEnd[this.rows]) throw new BlockDamagedError('message column length mismatch');
      this.messageBytes = bytes;
    }
    return this.messageBytes;
  }

  /** All messages as one string; offsets equal byte offsets only in ASCII blocks. */
  text(): string {
    if (this.textCache === null) {
      this.textCache = this.messages().toString(this.meta.ascii ? 'latin1' : 'utf8');
      // ASCII blocks are served from the string alone: drop the bytes to halve what the cache holds
      if (this.meta.ascii) this.messageBytes = null;
    }
    return this.textCache;
  }

  lowerText(): string {
    if (this.lowerCache === null) this.lowerCache = this.text().toLowerCase();
    return this.lowerCache;
  }

  message(i: number): string {
    const end = this.cols.messageEnd;
    if (this.meta.ascii) return this.text().slice(end[i], end[i + 1]);
    return this.messages().toString('utf8', end[i], end[i + 1]);
  }

  fields(i: number): Record<string, string> | undefined {
    const end = this.cols.fieldEnd;
    if (!end || end[i] === end[i + 1]) return undefined;
    if (!this.fieldBytes) {
      const { offset, metaBytes, messageBytes, fieldBytes, crcs } = this.meta;
      this.fieldBytes = this.load(offset + metaBytes + messageBytes, fieldBytes, crcs[2], 'fields column');
    }
    try {
      return JSON.parse(this.fieldBytes.toString('utf8', end[i], end[i + 1])) as Record<string, string>;
    } catch {
      throw new BlockDamagedError('fields column undecodable');
    }
  }

  /** Rough memory held, for the block cache. */
  get heldBytes(): number {
    const columns = this.columns;
    const columnBytes = columns ? columns.tsOffset.byteLength + columns.stream.byteLength + columns.level.byteLength + columns.messageEnd.byteLength + (columns.fieldEnd?.byteLength ?? 0) : 0;
    return (this.messageBytes?.length ?? 0) + (this.textCache?.length ?? 0) + (this.lowerCache?.length ?? 0) + (this.fieldBytes?.length ?? 0) + columnBytes;
  }
}
