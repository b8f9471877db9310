/**
 * Encoding one block of a segment: its keys and filters gathered (token-table.ts), its meta column built
 * (meta-column.ts), then its columns and bitmaps compressed. Each block-encoder worker (block-encoder-pool.ts) runs a
 * LocalBlockEncoder; the index's thread runs one only when a worker has failed.
 */
import { brotliCompressSync, crc32, constants as zlibConstants } from 'node:zlib';
import { ByteWriter } from './bytes.js';
import { fieldHashes } from './token-hash.js';
import { MetaColumn } from './meta-column.js';
import { TokenTable, type BlockFilters, type PostingLimits } from './token-table.js';
import type { BlockMeta, SealColumns } from './segment-format.js';

const MINUTE_NS = 60_000_000_000n;
const POSTING_MIN_FRACTION = 1 / 64;
const POSTINGS_PER_BLOCK: PostingLimits = { words: 128, prefixes: 32, longPrefixes: 48, pairs: 96 };
/**
 * Every column: brotli quality 1, 256 KB window (a block's messages are about 128 KB). On the bench corpus, against
 * deflate level 1: messages smaller and faster; the meta column 2 % larger and 2× faster. Messages at quality 2 are
 * 3 % smaller and take 1.4–1.9× the time. The bitmaps: quality 0, which takes 40 % less CPU than 1 for 10 % more bytes
 * (the index grows by 0.4 % of the raw text; sealing is bound by the CPU of both cores).
 */
const compress = (bytes: Uint8Array, quality = 1): Buffer =>
  brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: quality, [zlibConstants.BROTLI_PARAM_LGWIN]: 18, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
const BITMAP_QUALITY = 0;

/** The rows of one block: what crosses to a block-encoder worker. */
export interface BlockInput {
  ts: BigInt64Array;
  stream: Uint32Array;
  level: Uint8Array;
  /** The UTF-8 messages back to back, each one's byte length, and whether every byte is ASCII. */
  messages: Uint8Array;
  lengths: Uint32Array;
  ascii: boolean;
  /** JSON of each row's structured fields ('' when none); null when no row has any (the array would cost a copy). */
  fields: string[] | null;
}

/**
 * Rows [start, end) of `rows`; `copy` gives the block arrays of its own (to transfer to a worker) or, for messages in
 * shared memory, a view of them; else views where it can.
 */
export function blockInput(rows: SealColumns, start: number, end: number, copy: boolean): BlockInput {
  const lengths = rows.messageLength.subarray(start, end);
  return {
    ts: copy ? rows.ts.slice(start, end) : rows.ts.subarray(start, end),
    stream: copy ? rows.stream.slice(start, end) : rows.stream.subarray(start, end),
    level: copy ? rows.level.slice(start, end) : rows.level.subarray(start, end),
    ...blockMessages(rows, start, end, copy),
    lengths: copy ? lengths.slice() : lengths,
    fields: fieldsOf(rows, start, end),
  };
}

function fieldsOf(rows: SealColumns, start: number, end: number): string[] | null {
  for (let row = start; row < end; row++) if (rows.fields[row] !== '') return rows.fields.slice(start, end);
  return null;
}

/**
 * The messages of rows [start, end) back to back, and whether all are ASCII: one view when they lie so in one
 * source (rows in WAL order), else copied run by run.
 */
function blockMessages(rows: SealColumns, start: number, end: number, copy: boolean): { messages: Uint8Array; ascii: boolean } {
  const { sources, messageSource, messageStart, messageLength } = rows;
  // runs of rows back to back in one source, flat: source, from, to
  const runs: number[] = [];
  let total = 0;
  let source = messageSource[start];
  let from = messageStart[start];
  let to = from;
  for (let row = start; row < end; row++) {
    const at = messageStart[row];
    if (messageSource[row] !== source || at !== to) {
      runs.push(source, from, to);
      source = messageSource[row];
      from = at;
    }
    to = at + messageLength[row];
    total += messageLength[row];
  }
  runs.push(source, from, to);
  let ascii = true;
  for (let i = 0; i < runs.length; i += 3) ascii &&= sources[runs[i]].ascii;
  const bytes = sources[source].bytes;
  if (runs.length === 3 && (!copy || bytes.buffer instanceof SharedArrayBuffer)) return { messages: bytes.subarray(from, to), ascii };
  const messages = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < runs.length; i += 3) {
    messages.set(sources[runs[i]].bytes.subarray(runs[i + 1], runs[i + 2]), at);
    at += runs[i + 2] - runs[i + 1];
  }
  return { messages, ascii };
}

type BlockInfo = Pick<BlockMeta, 'rows' | 'minTs' | 'maxTs' | 'levelMask' | 'ascii' | 'hasFields' | 'streams' | 'minutes'>;

/** A block ready to be written: compressed columns, filters, and what its footer entry says. */
export interface EncodedBlock {
  meta: Uint8Array;
  messages: Uint8Array;
  fields: Uint8Array;
  /** CRC-32 of the compressed meta, messages and fields. */
  crcs: [number, number, number];
  /** The keys of its bloom filter (flat h1, h2…), its row-group filter. */
  bloomKeys: Uint32Array;
  groups: Uint32Array;
  /** Its row bitmaps' keys, sorted, and the bitmaps, compressed together. */
  postingH1: Uint32Array;
  postingH2: Uint32Array;
  bitmaps: Uint8Array;
  info: BlockInfo;
}

/** A block before compression. */
interface GatheredBlock {
  meta: Buffer;
  messages: Uint8Array;
  fields: Buffer | null;
  filters: BlockFilters;
  info: BlockInfo;
}

/** Adds rows of UTF-8 text with non-ASCII characters, each lowercased. */
function addLowered(table: TokenTable, messages: Uint8Array, lengths: Uint32Array): void {
  const bytes = Buffer.from(messages.buffer, messages.byteOffset, messages.byteLength);
  let at = 0;
  const rows = Array.from(lengths, (length) => bytes.toString('utf8', at, (at += length)).toLowerCase());
  table.addLowered(rows.join(''), Uint32Array.from(rows, (row) => row.length));
}

/** Gathers blocks one at a time, reusing its key table and meta column builder. */
class BlockGatherer {
  private readonly table = new TokenTable();
  private readonly meta = new MetaColumn();

  gather(input: BlockInput): GatheredBlock {
    const { table } = this;
    const { ts, messages, lengths, ascii } = input;
    const count = ts.length;
    const minTs = ts[0];
    table.reset();
    const fields = input.fields && this.addFields(input.fields);
    const meta = this.meta.build(input, fields?.bytes ?? null, Number(minTs % MINUTE_NS));
    if (ascii) table.addAscii(messages, lengths);
    else addLowered(table, messages, lengths);
    return {
      meta: meta.column,
      messages,
      fields: fields?.json ?? null,
      filters: table.finish(count, Math.max(2, Math.ceil(count * POSTING_MIN_FRACTION)), POSTINGS_PER_BLOCK),
      info: { rows: count, minTs, maxTs: ts[count - 1], levelMask: meta.levelMask, ascii, hasFields: fields !== null, streams: meta.streams, minutes: meta.minutes },
    };
  }

  /** The rows' fields JSON back to back and each one's UTF-8 bytes, their keys in the table; null when none has any. */
  private addFields(rows: string[]): { json: Buffer; bytes: Uint32Array } | null {
    const json = new ByteWriter(1024);
    const bytes = new Uint32Array(rows.length);
    rows.forEach((fieldJson, row) => {
      if (!fieldJson) return;
      const before = json.length;
      json.raw(fieldJson);
      bytes[row] = json.length - before;
      for (const [key, value] of Object.entries(JSON.parse(fieldJson) as Record<string, string>)) {
        const [h1, h2] = fieldHashes(key, String(value));
        this.table.addField(h1, h2, row);
      }
    });
    return json.length > 0 ? { json: Buffer.from(json.view()), bytes } : null;
  }
}

/**
 * Compressed on the calling thread: the async zlib calls cost twice the CPU in all (each 16 KB of output is a
 * round trip between the pool and the calling thread), and sealing is bound by the CPU of both cores.
 */
function compressBlock(block: GatheredBlock): EncodedBlock {
  const { bloomKeys, groups, postings } = block.filters;
  const meta = compress(block.meta);
  const messages = compress(block.messages);
  const fields = block.fields ? compress(block.fields) : new Uint8Array(0);
  return {
    meta,
    messages,
    fields,
    crcs: [crc32(meta), crc32(messages), crc32(fields)],
    bloomKeys,
    groups,
    postingH1: postings.h1,
    postingH2: postings.h2,
    bitmaps: postings.h1.length > 0 ? compress(postings.bitmaps, BITMAP_QUALITY) : new Uint8Array(0),
    info: block.info,
  };
}

/** Encodes blocks of a segment. */
export interface BlockEncoder {
  /** Gathers rows [start, end) now or hands them on; resolves once the block is compressed. */
  encode(rows: SealColumns, start: number, end: number): Promise<EncodedBlock>;
}

/** Encodes on the calling thread. */
export class LocalBlockEncoder implements BlockEncoder {
  private readonly gatherer = new BlockGatherer();

  encode(rows: SealColumns, start: number, end: number): Promise<EncodedBlock> {
    return Promise.resolve(this.encodeInput(blockInput(rows, start, end, false)));
  }

  encodeInput(input: BlockInput): EncodedBlock {
    return compressBlock(this.gatherer.gather(input));
  }
}
