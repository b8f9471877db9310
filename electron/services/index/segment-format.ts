/**
 * Segment files: immutable, encoded by encodeSegment, written once (atomically) by writeSegment or a seal, read by
 * openSegment.
 *
 *   "FKSEG001" | block regions… | filter area | footer | u32 footer length | u32 CRC-32 of footer | "FKSEGEND"
 *
 * A block region holds up to BLOCK_ROWS rows sorted by time, as three columns compressed with brotli (format 3
 * deflated all but the messages, and is still read):
 *   meta:     per row varint ts delta (ns, from the previous row; the first from the block's minTs), varint stream,
 *             u8 level, varint message length, varint fields length
 *   messages: the UTF-8 messages back to back
 *   fields:   JSON of each row's structured fields ('' when none)
 * Each column has its own CRC-32, so a query that needs only the meta column never reads the messages. The filter area
 * starts with the bloom matrix of all blocks (bloom-filter.ts: their words, 3-char word prefixes and field=value
 * pairs), then holds, per block (token-table.ts): the row-group filter of its rarer words; the keys (u32 h1[], then
 * u32 h2[], sorted) of its row bitmaps; the bitmaps themselves, compressed together (padded to 4 bytes). The area has
 * its own CRC.
 * The footer (deflated JSON) lists the segment's streams (label sets) and each block's offsets, time bounds, row
 * count, level mask, streams and per-minute counts: opening an index reads only footers and filter areas.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { LocalBlockEncoder, type BlockEncoder, type EncodedBlock } from './block-encoder.js';
import { BloomMatrix } from './bloom-filter.js';
import { writeFileAtomic } from '../storage/atomic-file.js';

export const SEGMENT_MAGIC = Buffer.from('FKSEG001');
/**
 * Version 4: block columns and bitmaps compressed with brotli. Version 3 (blocked bloom filters, row-group filters,
 * deflated footer) deflated the meta and fields columns and the bitmaps; it is still read.
 */
export const SEGMENT_VERSION = 4;
export const OLDEST_READABLE_VERSION = 3;
/** The last format whose meta and fields columns and bitmaps were deflated. */
export const DEFLATED_COLUMNS_VERSION = 3;
export const SEGMENT_END = Buffer.from('FKSEGEND');
export const TRAILER_BYTES = 16;
export const BLOCK_ROWS = 2048;
export const BLOCK_MESSAGE_BYTES = 512 * 1024;
/** Row timestamps inside a block are stored as numbers relative to its start: keep them exact. */
export const MAX_BLOCK_SPAN_NS = 2n ** 52n;
const DEFLATE = { level: 1 };

/** UTF-8 message bytes that rows to seal point into: a WAL batch's messages, or a block's message column. */
export interface MessageSource {
  bytes: Uint8Array;
  /** Every byte is below 0x80. */
  ascii: boolean;
}

/** Rows to seal, column by column, sorted by time. */
export interface SealColumns {
  ts: BigInt64Array;
  /** Index into the segment's stream list. */
  stream: Uint32Array;
  level: Uint8Array;
  /** Row i's message: messageLength[i] bytes at messageStart[i] in sources[messageSource[i]]. */
  sources: MessageSource[];
  messageSource: Uint32Array;
  messageStart: Uint32Array;
  messageLength: Uint32Array;
  /** JSON of the structured fields, '' when none. */
  fields: string[];
}

export function allocateColumns(rows: number): SealColumns {
  return {
    ts: new BigInt64Array(rows),
    stream: new Uint32Array(rows),
    level: new Uint8Array(rows),
    sources: [],
    messageSource: new Uint32Array(rows),
    messageStart: new Uint32Array(rows),
    messageLength: new Uint32Array(rows),
    fields: new Array<string>(rows),
  };
}

/** Points rows [row, row + lengths.length) at the messages of `source`, back to back with these byte lengths. */
export function addMessageSource(columns: SealColumns, row: number, source: MessageSource, lengths: ArrayLike<number>): void {
  const index = columns.sources.push(source) - 1;
  let start = 0;
  for (let i = 0; i < lengths.length; i++) {
    columns.messageSource[row + i] = index;
    columns.messageStart[row + i] = start;
    columns.messageLength[row + i] = lengths[i];
    start += lengths[i];
  }
}

/** Sorts the columns by time (stable); returns them unchanged when already sorted. */
export function sortColumns(columns: SealColumns): SealColumns {
  const { ts } = columns;
  let sorted = true;
  for (let i = 1; i < ts.length && sorted; i++) sorted = ts[i - 1] <= ts[i];
  if (sorted) return columns;
  const order = Array.from({ length: ts.length }, (_, i) => i);
  order.sort((a, b) => (ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : a - b));
  const out = allocateColumns(ts.length);
  out.sources = columns.sources;
  order.forEach((from, to) => {
    out.ts[to] = columns.ts[from];
    out.stream[to] = columns.stream[from];
    out.level[to] = columns.level[from];
    out.messageSource[to] = columns.messageSource[from];
    out.messageStart[to] = columns.messageStart[from];
    out.messageLength[to] = columns.messageLength[from];
    out.fields[to] = columns.fields[from];
  });
  return out;
}

export interface BlockMeta {
  offset: number;
  metaBytes: number;
  messageBytes: number;
  fieldBytes: number;
  /** CRC-32 of the meta, messages and fields columns. */
  crcs: [number, number, number];
  rows: number;
  minTs: bigint;
  maxTs: bigint;
  levelMask: number;
  streams: number[];
  /** Flat pairs [minute offset from minTs's minute, count]. */
  minutes: number[];
  /** Every message is ASCII: byte offsets equal string offsets. */
  ascii: boolean;
  hasFields: boolean;
  /** The block's place in the segment's bloom matrix (its index in the segment). */
  bloomSlot: number;
  /** Offsets into the filter area. */
  groupOffset: number;
  groupWords: number;
  /** Number of row bitmaps; their keys follow the bloom filter. */
  postingKeys: number;
  postingsOffset: number;
  postingsBytes: number;
}

export interface SegmentFooter {
  version: number;
  id: number;
  /** WAL generations up to this one are fully inside segments (this one or older). */
  walGeneration: number;
  /** Segments this one was merged from: a leftover of them is deleted on open. */
  replaces: number[];
  createdMs: number;
  rows: number;
  minTs: bigint;
  maxTs: bigint;
  streams: string[];
  blocks: BlockMeta[];
  filterOffset: number;
  filterBytes: number;
  filterCrc: number;
  /** Buckets per block of the bloom matrix at the start of the filter area. */
  bloomBuckets: number;
}

export interface SegmentHeader {
  id: number;
  walGeneration: number;
  replaces: number[];
  streams: string[];
}

export interface SegmentEncodeOptions {
  blockRows?: number;
  encoder?: BlockEncoder;
}

/** A segment file's bytes, in parts to write in order, and its footer. */
export interface EncodedSegment {
  parts: Uint8Array[];
  footer: SegmentFooter;
}

/** Writes rows (sorted by tsNs, ascending) as a segment file and returns its footer. */
export async function writeSegment(path: string, header: SegmentHeader, rows: SealColumns, options: SegmentEncodeOptions = {}): Promise<SegmentFooter> {
  const { parts, footer } = await encodeSegment(header, rows, options);
  await writeFileAtomic(path, parts);
  return footer;
}

/** The bytes of a segment file of rows (sorted by tsNs, ascending). */
export async function encodeSegment(header: SegmentHeader, rows: SealColumns, options: SegmentEncodeOptions = {}): Promise<EncodedSegment> {
  const { blockRows = BLOCK_ROWS, encoder = new LocalBlockEncoder() } = options;
  const pending: Array<Promise<EncodedBlock>> = [];
  for (let start = 0; start < rows.ts.length; ) {
    const end = blockEnd(rows, start, blockRows);
    pending.push(encoder.encode(rows, start, end));
    start = end;
    // lets a block-encoder worker's replies (and appends, and queries) in between blocks
    await new Promise((resolve) => setImmediate(resolve));
  }
  const parts: Uint8Array[] = [SEGMENT_MAGIC];
  let offset = SEGMENT_MAGIC.length;
  const blocks: BlockMeta[] = [];
  const encoded = await Promise.all(pending);
  const bloom = BloomMatrix.build(encoded.map((block) => block.bloomKeys));
  // the filter area, written part by part, its checksum carried along
  const filterParts: Uint8Array[] = [];
  let filterLength = 0;
  let filterCrc = 0;
  const addFilterPart = (part: Uint8Array) => {
    // zlib's crc32 of no data at all (a null pointer: an empty array with no memory behind it) restarts at 0
    if (part.length === 0) return;
    filterParts.push(part);
    filterLength += part.length;
    filterCrc = crc32(part, filterCrc);
  };
  addFilterPart(asBytes(bloom.words));
  for (const block of encoded) {
    const groupOffset = filterLength;
    addFilterPart(asBytes(block.groups));
    addFilterPart(asBytes(block.postingH1));
    addFilterPart(asBytes(block.postingH2));
    const postingsOffset = filterLength;
    addFilterPart(block.bitmaps);
    addFilterPart(ZERO_PADDING.subarray(0, -block.bitmaps.length & 3));
    blocks.push({
      ...block.info,
      offset,
      metaBytes: block.meta.length,
      messageBytes: block.messages.length,
      fieldBytes: block.fields.length,
      crcs: block.crcs,
      bloomSlot: blocks.length,
      groupOffset,
      groupWords: block.groups.length,
      postingKeys: block.postingH1.length,
      postingsOffset,
      postingsBytes: block.bitmaps.length,
    });
    parts.push(block.meta, block.messages, block.fields);
    offset += block.meta.length + block.messages.length + block.fields.length;
  }
  const count = rows.ts.length;
  const footer: SegmentFooter = {
    version: SEGMENT_VERSION,
    ...header,
    createdMs: Date.now(),
    rows: count,
    minTs: count > 0 ? rows.ts[0] : 0n,
    maxTs: count > 0 ? rows.ts[count - 1] : 0n,
    blocks,
    filterOffset: offset,
    filterBytes: filterLength,
    bloomBuckets: bloom.buckets,
    filterCrc,
  };
  const footerBytes = deflateRawSync(footerJsonOf(footer), DEFLATE);
  const trailer = Buffer.alloc(TRAILER_BYTES - SEGMENT_END.length);
  trailer.writeUInt32LE(footerBytes.length, 0);
  trailer.writeUInt32LE(crc32(footerBytes), 4);
  parts.push(...filterParts, footerBytes, trailer, SEGMENT_END);
  return { parts, footer };
}

const asBytes = (array: Uint32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
/** Pads a block's bitmaps to 4 bytes, so that the next block's filters stay aligned as u32 words. */
const ZERO_PADDING = new Uint8Array(3);

/** Timestamps are written as `"123n"` strings, set field by field: a JSON replacer makes the whole stringify slow. */
function footerJsonOf(footer: SegmentFooter): string {
  const text = (ts: bigint) => `${ts}n`;
  const blocks = footer.blocks.map((block) => ({ ...block, minTs: text(block.minTs), maxTs: text(block.maxTs) }));
  return JSON.stringify({ ...footer, minTs: text(footer.minTs), maxTs: text(footer.maxTs), blocks });
}

/** Timestamps are written as `"123n"` strings; converted field by field (a JSON reviver is much slower). */
export function parseFooter(bytes: Buffer): SegmentFooter {
  const footer = JSON.parse(footerJson(bytes)) as SegmentFooter;
  const big = (value: unknown): bigint => {
    if (typeof value !== 'string' || !/^\d+n$/.test(value)) throw new Error('bad timestamp in segment footer');
    return BigInt(value.slice(0, -1));
  };
  footer.minTs = big(footer.minTs);
  footer.maxTs = big(footer.maxTs);
  for (const block of footer.blocks) {
    block.minTs = big(block.minTs);
    block.maxTs = big(block.maxTs);
  }
  return footer;
}

/** Formats before 3 stored the footer's JSON as is: it is still read, so that open can name the format. */
function footerJson(bytes: Buffer): string {
  try {
    return inflateRawSync(bytes).toString('utf8');
  } catch (error) {
    if (bytes[0] === 0x7b) return bytes.toString('utf8');
    throw error;
  }
}

function blockEnd(rows: SealColumns, start: number, blockRows: number): number {
  const limitTs = rows.ts[start] + MAX_BLOCK_SPAN_NS;
  let bytes = 0;
  let end = start;
  while (end < rows.ts.length && end - start < blockRows && rows.ts[end] < limitTs && bytes < BLOCK_MESSAGE_BYTES) {
    bytes += rows.messageLength[end];
    end++;
  }
  return end;
}
