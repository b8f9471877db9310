/**
 * Binary encoding of a batch of LogRecords: one WAL frame per `append` call. Column layout (little-endian), so that a
 * batch costs a handful of native calls however many records it holds:
 *   u8 version | 3 × u8 0 | u32 n | n × i64 tsNs | n × u32 message UTF-16 length | n × u32 stream index | n × u8 level |
 *   u32 k, k × string stream key | string (all messages) | u32 f, f × u32 row, f × u32 JSON UTF-16 length,
 *   string (the fields JSON of those f rows, the only ones with fields)
 * (string = u32 byte length + UTF-8). Lone surrogates become U+FFFD, which keeps UTF-16 lengths intact.
 */
import { LEVELS, type LogLabels, type LogRecord } from '../../../shared/logs/record.js';
import { ByteReader } from './bytes.js';

const BATCH_VERSION = 3;

/** A WAL batch written by another version of FieldKit. */
export class BatchVersionError extends Error {}
const HEADER_BYTES = 8;
/** Bytes per row of the fixed-width columns: ts, message length, stream index, level. */
const ROW_BYTES = 8 + 4 + 4 + 1;
const MAX_TS = 2n ** 63n - 1n;

/** A label set met before, found again by comparing its fields, so no string is built per record. */
interface Stream {
  readonly device: string;
  readonly source: string;
  readonly site: string | undefined;
  readonly unit: string | undefined;
  readonly pod: string | undefined;
  readonly container: string | undefined;
  readonly key: string;
  /** The batch that last gave this stream a slot in its stream table, and that slot. */
  batch: number;
  slot: number;
}

const MAX_STREAMS = 100_000;
/** device → (pod, else unit, else source) → streams: short lists to compare against. */
const streamsByDevice = new Map<string, Map<string, Stream[]>>();
const streamsByKey = new Map<string, Stream>();
/**
 * The stream last found for a labels object: a parser gives the records of one stream one labels object. Checked
 * against the object's fields on every use, since a caller may change them.
 */
let streamsByObject = new WeakMap<LogLabels, Stream>();

function sameLabels(stream: Stream, labels: LogLabels): boolean {
  return (
    stream.device === labels.device &&
    stream.source === labels.source &&
    stream.unit === labels.unit &&
    stream.pod === labels.pod &&
    stream.container === labels.container &&
    stream.site === labels.site
  );
}

function streamOf(labels: LogLabels): Stream {
  const known = streamsByObject.get(labels);
  if (known !== undefined && sameLabels(known, labels)) return known;
  const stream = findStream(labels) ?? addStream(labels);
  streamsByObject.set(labels, stream);
  return stream;
}

function findStream(labels: LogLabels): Stream | undefined {
  const candidates = streamsByDevice.get(labels.device)?.get(labels.pod ?? labels.unit ?? labels.source);
  return candidates?.find((stream) => sameLabels(stream, labels));
}

function addStream(labels: LogLabels): Stream {
  const key = JSON.stringify([labels.device, labels.source, labels.site ?? null, labels.unit ?? null, labels.pod ?? null, labels.container ?? null]);
  const known = streamsByKey.get(key);
  if (known !== undefined) return known; // equal key, not equal fields (null for undefined): not worth a list entry
  if (streamsByKey.size >= MAX_STREAMS) {
    streamsByKey.clear();
    streamsByDevice.clear();
    streamsByObject = new WeakMap();
  }
  const { device, source, site, unit, pod, container } = labels;
  const stream: Stream = { device, source, site, unit, pod, container, key, batch: 0, slot: 0 };
  streamsByKey.set(key, stream);
  let bySubKey = streamsByDevice.get(device);
  if (bySubKey === undefined) streamsByDevice.set(device, (bySubKey = new Map()));
  const subKey = pod ?? unit ?? source;
  const list = bySubKey.get(subKey);
  if (list === undefined) bySubKey.set(subKey, [stream]);
  else list.push(stream);
  return stream;
}

/** A canonical string for a label set: equal labels give equal keys. */
export function labelsKey(labels: LogLabels): string {
  return streamOf(labels).key;
}

/**
 * Label sets by key, parsed once and shared (frozen): every segment names its streams, most of them the same streams,
 * and parsing them apart (112 000 entries in a 10M-line index of 268 segments) was about a third of its open.
 */
const labelsByKey = new Map<string, Readonly<LogLabels>>();

export function labelsFromKey(key: string): Readonly<LogLabels> {
  const known = labelsByKey.get(key);
  if (known) return known;
  const [device, source, site, unit, pod, container] = JSON.parse(key) as [string, LogLabels['source'], string | null, string | null, string | null, string | null];
  const labels: LogLabels = { device, source };
  if (site !== null) labels.site = site;
  if (unit !== null) labels.unit = unit;
  if (pod !== null) labels.pod = pod;
  if (container !== null) labels.container = container;
  if (labelsByKey.size >= MAX_STREAMS) labelsByKey.clear();
  labelsByKey.set(key, Object.freeze(labels));
  return labels;
}

const LEVEL_INDEX = new Map<string, number>(LEVELS.map((level, index) => [level, index]));

/** The level's index in LEVELS; throws `record N: …` when the index cannot store the record. */
function checkedLevel(record: LogRecord, position: number): number {
  let problem: string | null = null;
  if (typeof record.tsNs !== 'bigint' || record.tsNs < 0n || record.tsNs > MAX_TS) problem = 'record.tsNs must be a bigint of nanoseconds since 1970';
  else if (!record.labels || typeof record.labels.device !== 'string' || typeof record.labels.source !== 'string') problem = 'record.labels needs device and source';
  else if (typeof record.message !== 'string') problem = 'record.message must be a string';
  const level = LEVEL_INDEX.get(record.level);
  if (problem === null && level !== undefined) return level;
  throw new TypeError(`record ${position}: ${problem ?? `unknown level "${String(record.level)}"`}`);
}

function fieldsJson(record: LogRecord): string {
  if (!record.fields) return '';
  for (const _key in record.fields) return JSON.stringify(record.fields);
  return '';
}

export interface EncodedBatch {
  payload: Buffer;
  rows: number;
  /** UTF-16 length of all messages. */
  chars: number;
}

/** Reused between calls: the batch is built here, then copied out at its exact size. */
let scratch = new ArrayBuffer(1 << 20);
const KEEP_SCRATCH_BYTES = 16 << 20;
let batchCount = 0;

function ensureScratch(bytes: number, keep: number): void {
  if (scratch.byteLength >= bytes) return;
  const next = new ArrayBuffer(Math.max(bytes, scratch.byteLength * 2));
  new Uint8Array(next).set(new Uint8Array(scratch, 0, keep));
  scratch = next;
}

/**
 * Validates and encodes a batch in one pass over the records; throws `record N: …` for the first record the index
 * cannot store.
 */
export function encodeRecordBatch(records: readonly LogRecord[]): EncodedBatch {
  const n = records.length;
  const batch = ++batchCount;
  ensureScratch(HEADER_BYTES + n * ROW_BYTES, 0);
  const ts = new BigInt64Array(scratch, HEADER_BYTES, n);
  const messageLengths = new Uint32Array(scratch, HEADER_BYTES + n * 8, n);
  const streamIndex = new Uint32Array(scratch, HEADER_BYTES + n * 12, n);
  const levels = new Uint8Array(scratch, HEADER_BYTES + n * 16, n);
  const streams: Stream[] = [];
  const fieldRows: number[] = [];
  let fields = '';
  let messages = '';
  for (let i = 0; i < n; i++) {
    const record = records[i];
    levels[i] = checkedLevel(record, i);
    ts[i] = record.tsNs;
    const stream = streamOf(record.labels);
    if (stream.batch !== batch) {
      stream.batch = batch;
      stream.slot = streams.length;
      streams.push(stream);
    }
    streamIndex[i] = stream.slot;
    messages += record.message;
    messageLengths[i] = record.message.length;
    if (record.fields !== undefined) {
      const json = fieldsJson(record);
      if (json !== '') {
        fieldRows.push(i, json.length);
        fields += json;
      }
    }
  }
  let bound = HEADER_BYTES + n * ROW_BYTES + 4 + 4 + messages.length * 3 + 8 + fieldRows.length * 4 + fields.length * 3 + 4;
  for (const stream of streams) bound += 4 + stream.key.length * 3;
  let at = HEADER_BYTES + n * ROW_BYTES;
  ensureScratch(bound, at);
  const out = Buffer.from(scratch);
  out.writeUInt32LE(BATCH_VERSION, 0);
  out.writeUInt32LE(n, 4);
  at = out.writeUInt32LE(streams.length, at);
  for (const stream of streams) at = writeString(out, stream.key, at);
  at = writeString(out, messages, at);
  at = out.writeUInt32LE(fieldRows.length / 2, at);
  for (let i = 0; i < fieldRows.length; i += 2) at = out.writeUInt32LE(fieldRows[i], at);
  for (let i = 1; i < fieldRows.length; i += 2) at = out.writeUInt32LE(fieldRows[i], at);
  at = writeString(out, fields, at);
  const payload = sharedCopy(out.subarray(0, at));
  if (scratch.byteLength > KEEP_SCRATCH_BYTES) scratch = new ArrayBuffer(1 << 20);
  return { payload, rows: n, chars: messages.length };
}

/**
 * A batch's bytes copied into shared memory, where every unsealed batch is kept (appended or replayed from the WAL):
 * a seal's block encoder workers then read its messages where they are, without a copy each.
 */
export function sharedCopy(bytes: Uint8Array): Buffer {
  const shared = Buffer.from(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

function writeString(out: Buffer, value: string, at: number): number {
  const written = out.write(value, at + 4, 'utf8');
  out.writeUInt32LE(written, at);
  return at + 4 + written;
}

/** A batch's columns as stored, its messages still UTF-8. */
export interface StoredBatch {
  ts: BigInt64Array;
  levels: Uint8Array;
  streamKeys: string[];
  streamOf: Uint32Array;
  /** The messages back to back, and each one's UTF-16 length. */
  messageBytes: Buffer;
  messageChars: Uint32Array;
  /** JSON of each record's fields, '' when none. */
  fields: string[];
}

export function readBatch(bytes: Buffer): StoredBatch {
  if (bytes.length > 0 && bytes[0] !== BATCH_VERSION) throw new BatchVersionError(`unknown record batch version ${bytes[0]}`);
  const reader = new ByteReader(bytes);
  if (reader.u32() !== BATCH_VERSION) throw new Error('corrupt record batch: bad header');
  const n = reader.u32();
  const ts = new BigInt64Array(reader.copy(n * 8).buffer);
  const messageChars = new Uint32Array(reader.copy(n * 4).buffer);
  const streamOf = new Uint32Array(reader.copy(n * 4).buffer);
  const levels = reader.copy(n);
  const streamCount = reader.u32();
  const streamKeys: string[] = [];
  for (let i = 0; i < streamCount; i++) streamKeys.push(reader.string());
  const messageBytes = reader.bytes(reader.u32());
  const fieldCount = reader.u32();
  const fieldRows = new Uint32Array(reader.copy(fieldCount * 4).buffer);
  const fieldLengths = new Uint32Array(reader.copy(fieldCount * 4).buffer);
  const allFields = reader.string();
  if (reader.offset !== bytes.length) throw new Error('corrupt record batch: trailing bytes');
  for (let i = 0; i < n; i++) if (levels[i] >= LEVELS.length || streamOf[i] >= streamCount) throw new Error('corrupt record batch');
  const fields = new Array<string>(n).fill('');
  let fieldAt = 0;
  for (let i = 0; i < fieldCount; i++) {
    if (fieldRows[i] >= n) throw new Error('corrupt record batch');
    fields[fieldRows[i]] = allFields.slice(fieldAt, (fieldAt += fieldLengths[i]));
  }
  if (fieldAt !== allFields.length) throw new Error('corrupt record batch');
  return { ts, levels, streamKeys, streamOf, messageBytes, messageChars, fields };
}

/** Each message's UTF-8 length, and whether all are ASCII (then the lengths are the UTF-16 ones). */
export function messageByteLengths(batch: StoredBatch): { lengths: Uint32Array; ascii: boolean } {
  const chars = batch.messageChars.reduce((sum, length) => sum + length, 0);
  if (batch.messageBytes.length === chars) return { lengths: batch.messageChars, ascii: true };
  const lengths = new Uint32Array(batch.messageChars.length);
  decodeMessages(batch).forEach((message, i) => (lengths[i] = Buffer.byteLength(message, 'utf8')));
  return { lengths, ascii: false };
}

function decodeMessages(batch: StoredBatch): string[] {
  const all = batch.messageBytes.toString('utf8');
  let at = 0;
  const messages = Array.from(batch.messageChars, (length) => all.slice(at, (at += length)));
  if (at !== all.length) throw new Error('corrupt record batch');
  return messages;
}

export function decodeRecordBatch(bytes: Buffer): LogRecord[] {
  const batch = readBatch(bytes);
  const labels = batch.streamKeys.map(labelsFromKey);
  return decodeMessages(batch).map((message, i) => {
    const record: LogRecord = { tsNs: batch.ts[i], labels: labels[batch.streamOf[i]], level: LEVELS[batch.levels[i]], message };
    if (batch.fields[i]) record.fields = JSON.parse(batch.fields[i]) as Record<string, string>;
    return record;
  });
}
