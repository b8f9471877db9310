/**
 * Binary encoding of a batch of LogRecords: one WAL frame per `append` call. Column layout, so that a batch costs
 * a handful of native calls however many records it holds:
 *   u8 version | u32 n | n × i64 tsNs | n × u8 level | u32 k, k × string stream key | n × u32 stream index |
 *   n × u32 message UTF-16 length | string (all messages) | n × u32 fields length | string (all fields JSON)
 * (string = u32 byte length + UTF-8). Lone surrogates become U+FFFD, which keeps UTF-16 lengths intact.
 */
import { LEVELS, type Level, type LogLabels, type LogRecord } from '../../../shared/logs/record.js';
import { ByteReader, ByteWriter } from './bytes.js';

const BATCH_VERSION = 2;
const keyByParts = new Map<string, string>();

/** A canonical string for a label set: equal labels give equal keys. */
export function labelsKey(labels: LogLabels): string {
  const parts = `${labels.device}\u0000${labels.source}\u0000${labels.site ?? '\u0001'}\u0000${labels.unit ?? '\u0001'}\u0000${labels.pod ?? '\u0001'}\u0000${labels.container ?? '\u0001'}`;
  let key = keyByParts.get(parts);
  if (key === undefined) {
    key = JSON.stringify([labels.device, labels.source, labels.site ?? null, labels.unit ?? null, labels.pod ?? null, labels.container ?? null]);
    if (keyByParts.size > 100_000) keyByParts.clear();
    keyByParts.set(parts, key);
  }
  return key;
}

export function labelsFromKey(key: string): LogLabels {
  const [device, source, site, unit, pod, container] = JSON.parse(key) as [string, LogLabels['source'], string | null, string | null, string | null, string | null];
  const labels: LogLabels = { device, source };
  if (site !== null) labels.site = site;
  if (unit !== null) labels.unit = unit;
  if (pod !== null) labels.pod = pod;
  if (container !== null) labels.container = container;
  return labels;
}

const LEVEL_INDEX = new Map<string, number>(LEVELS.map((level, index) => [level, index]));

export function levelIndex(level: Level): number {
  const index = LEVEL_INDEX.get(level);
  if (index === undefined) throw new TypeError(`unknown level "${String(level)}"`);
  return index;
}

/** Rejects records the index cannot store, naming the first problem. */
export function validateRecord(record: LogRecord): void {
  if (typeof record.tsNs !== 'bigint' || record.tsNs < 0n || record.tsNs >= 2n ** 63n) throw new TypeError('record.tsNs must be a bigint of nanoseconds since 1970');
  if (!record.labels || typeof record.labels.device !== 'string' || typeof record.labels.source !== 'string') throw new TypeError('record.labels needs device and source');
  if (typeof record.message !== 'string') throw new TypeError('record.message must be a string');
  levelIndex(record.level);
}

export function fieldsJson(record: LogRecord): string {
  if (!record.fields) return '';
  for (const _key in record.fields) return JSON.stringify(record.fields);
  return '';
}

/** The encoded batch; `writer` is reused when given (the result is then a view valid until its next use). */
export function encodeRecordBatch(records: readonly LogRecord[], writer?: ByteWriter): Buffer {
  const n = records.length;
  if (!writer) {
    let chars = 0;
    for (const record of records) chars += record.message.length;
    writer = new ByteWriter(64 + n * 24 + chars + (chars >> 3));
  }
  writer.reset();
  writer.u8(BATCH_VERSION);
  writer.u32(n);
  const ts = new BigInt64Array(n);
  const levels = new Uint8Array(n);
  const streamOf = new Uint32Array(n);
  const messageLengths = new Uint32Array(n);
  const fieldLengths = new Uint32Array(n);
  const streams = new Map<string, number>();
  const messages: string[] = new Array<string>(n);
  const fields: string[] = new Array<string>(n);
  let lastLabels: LogLabels | null = null;
  let lastStream = 0;
  for (let i = 0; i < n; i++) {
    const record = records[i];
    ts[i] = record.tsNs;
    levels[i] = levelIndex(record.level);
    if (record.labels !== lastLabels) {
      const key = labelsKey(record.labels);
      let stream = streams.get(key);
      if (stream === undefined) streams.set(key, (stream = streams.size));
      lastLabels = record.labels;
      lastStream = stream;
    }
    streamOf[i] = lastStream;
    messages[i] = record.message;
    messageLengths[i] = record.message.length;
    fields[i] = fieldsJson(record);
    fieldLengths[i] = fields[i].length;
  }
  writer.bytes(new Uint8Array(ts.buffer));
  writer.bytes(levels);
  writer.u32(streams.size);
  for (const key of streams.keys()) writer.string(key);
  writer.bytes(new Uint8Array(streamOf.buffer));
  writer.bytes(new Uint8Array(messageLengths.buffer));
  writer.string(messages.join(''));
  writer.bytes(new Uint8Array(fieldLengths.buffer));
  writer.string(fields.join(''));
  return writer.view();
}

/** A decoded batch, column by column (messages are slices of one string). */
export interface BatchColumns {
  ts: BigInt64Array;
  levels: Uint8Array;
  streamKeys: string[];
  streamOf: Uint32Array;
  messages: string[];
  /** JSON of each record's fields, '' when none. */
  fields: string[];
}

export function decodeBatchColumns(bytes: Buffer): BatchColumns {
  const reader = new ByteReader(bytes);
  const version = reader.u8();
  if (version !== BATCH_VERSION) throw new Error(`unknown record batch version ${version}`);
  const n = reader.u32();
  const ts = new BigInt64Array(reader.copy(n * 8).buffer);
  const levels = reader.copy(n);
  const streamCount = reader.u32();
  const streamKeys: string[] = [];
  for (let i = 0; i < streamCount; i++) streamKeys.push(reader.string());
  const streamOf = new Uint32Array(reader.copy(n * 4).buffer);
  const messageLengths = new Uint32Array(reader.copy(n * 4).buffer);
  const allMessages = reader.string();
  const fieldLengths = new Uint32Array(reader.copy(n * 4).buffer);
  const allFields = reader.string();
  const messages = new Array<string>(n);
  const fields = new Array<string>(n);
  let messageAt = 0;
  let fieldAt = 0;
  for (let i = 0; i < n; i++) {
    if (levels[i] >= LEVELS.length || streamOf[i] >= streamCount) throw new Error('corrupt record batch');
    messages[i] = allMessages.slice(messageAt, (messageAt += messageLengths[i]));
    fields[i] = fieldLengths[i] > 0 ? allFields.slice(fieldAt, (fieldAt += fieldLengths[i])) : '';
  }
  if (messageAt !== allMessages.length || fieldAt !== allFields.length) throw new Error('corrupt record batch');
  return { ts, levels, streamKeys, streamOf, messages, fields };
}

export function decodeRecordBatch(bytes: Buffer): LogRecord[] {
  const columns = decodeBatchColumns(bytes);
  const labels = columns.streamKeys.map(labelsFromKey);
  return columns.messages.map((message, i) => {
    const record: LogRecord = { tsNs: columns.ts[i], labels: labels[columns.streamOf[i]], level: LEVELS[columns.levels[i]], message };
    if (columns.fields[i]) record.fields = JSON.parse(columns.fields[i]) as Record<string, string>;
    return record;
  });
}
