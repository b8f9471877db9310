import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LEVELS, SOURCE_KINDS, type Level, type LogLabels, type LogRecord } from '../../../shared/logs/record.js';
import { decodeRecordBatch, encodeRecordBatch, labelsFromKey, labelsKey, readBatch } from './record-codec.js';

const text = fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s);
const labels: fc.Arbitrary<LogLabels> = fc.record(
  { device: fc.constantFrom('gw-1', 'gw-2', 'é-3'), source: fc.constantFrom(...SOURCE_KINDS), site: fc.constantFrom('a', 'b'), unit: fc.constantFrom('sshd', 'cron'), pod: text, container: fc.constantFrom('api', 'db') },
  { requiredKeys: ['device', 'source'] },
);
const record: fc.Arbitrary<LogRecord> = fc.record(
  {
    tsNs: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    labels,
    level: fc.constantFrom(...LEVELS),
    message: text,
    fields: fc.dictionary(text, text, { maxKeys: 3 }),
  },
  { requiredKeys: ['tsNs', 'labels', 'level', 'message'] },
);
const withoutEmptyFields = (r: LogRecord): LogRecord => {
  const copy: LogRecord = { ...r };
  if (!copy.fields || Object.keys(copy.fields).length === 0) delete copy.fields;
  return copy;
};
const plain = (message: string, device = 'd'): LogRecord => ({ tsNs: 1n, labels: { device, source: 'file' }, level: 'info', message });

describe('record batch codec', () => {
  it('round-trips any batch of well-formed records (property)', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const batch = encodeRecordBatch(records);
        expect(batch.rows).toBe(records.length);
        expect(batch.chars).toBe(records.reduce((sum, r) => sum + r.message.length, 0));
        expect(decodeRecordBatch(Buffer.from(batch.payload))).toEqual(records.map(withoutEmptyFields));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a payload read back at any byte offset (as WAL frames are)', () => {
    const records = [plain('hello'), { ...plain('wörld', 'e'), fields: { k: 'v' } }];
    const payload = encodeRecordBatch(records).payload;
    const shifted = Buffer.alloc(payload.length + 3);
    payload.copy(shifted, 3);
    expect(decodeRecordBatch(shifted.subarray(3))).toEqual(records);
  });

  it('keeps an earlier payload intact when later batches are encoded, also ones that outgrow the scratch space', () => {
    const first = encodeRecordBatch([plain('first')]).payload;
    const copy = Buffer.from(first);
    const big = Array.from({ length: 300 }, (_, i) => plain(`${'ü€'.repeat(5000)} ${i}`, `gw-${i % 7}`));
    const decoded = decodeRecordBatch(encodeRecordBatch(big).payload);
    expect(first.equals(copy)).toBe(true);
    expect(decoded).toEqual(big);
  });

  it('replaces lone surrogates with U+FFFD without shifting the next message', () => {
    const decoded = decodeRecordBatch(encodeRecordBatch([plain('a\uD800b'), plain('next')]).payload);
    expect(decoded.map((r) => r.message)).toEqual(['a\uFFFDb', 'next']);
  });

  it('gives equal label sets equal keys however the objects were built, and round-trips them (property)', () => {
    fc.assert(
      fc.property(labels, labels, (a, b) => {
        const copyOfA = JSON.parse(JSON.stringify(a)) as LogLabels;
        expect(labelsKey(copyOfA)).toBe(labelsKey(a));
        expect(labelsFromKey(labelsKey(a))).toEqual(a);
        expect(labelsKey(a) === labelsKey(b)).toBe(sameLabels(a, b));
      }),
      { numRuns: 300 },
    );
    const pod = { device: 'gw-1', source: 'pod' as const, pod: 'api-1', container: 'api' };
    expect(labelsKey({ ...pod, container: undefined })).not.toBe(labelsKey(pod));
    expect(labelsKey({ ...pod, site: null as unknown as string })).toBe(labelsKey({ ...pod }));
  });

  it('follows a labels object whose fields change between batches', () => {
    const labels: LogLabels = { device: 'gw-1', source: 'file' };
    const first = plain('a');
    first.labels = labels;
    expect(decodeRecordBatch(encodeRecordBatch([first]).payload)[0].labels).toEqual({ device: 'gw-1', source: 'file' });
    labels.device = 'gw-2';
    labels.unit = 'app';
    expect(decodeRecordBatch(encodeRecordBatch([first]).payload)[0].labels).toEqual({ device: 'gw-2', source: 'file', unit: 'app' });
  });

  it('lists each stream once per batch', () => {
    const records = [plain('a', 'x'), plain('b', 'y'), plain('c', 'x'), { ...plain('d', 'x'), labels: { device: 'x', source: 'file' as const } }];
    const columns = readBatch(encodeRecordBatch(records).payload);
    expect(columns.streamKeys.map(labelsFromKey)).toEqual([{ device: 'x', source: 'file' }, { device: 'y', source: 'file' }]);
    expect([...columns.streamOf]).toEqual([0, 1, 0, 0]);
  });

  it('rejects a record it cannot store, naming it', () => {
    const bad: Array<[Partial<LogRecord>, RegExp]> = [
      [{ tsNs: -1n }, /record 1: record.tsNs must be a bigint/],
      [{ tsNs: 2n ** 63n }, /record 1: record.tsNs/],
      [{ tsNs: 5 as unknown as bigint }, /record 1: record.tsNs/],
      [{ labels: { source: 'file' } as LogLabels }, /record 1: record.labels needs device and source/],
      [{ message: undefined as unknown as string }, /record 1: record.message must be a string/],
      [{ level: 'loud' as Level }, /record 1: unknown level "loud"/],
    ];
    for (const [change, error] of bad) expect(() => encodeRecordBatch([plain('ok'), { ...plain('bad'), ...change }])).toThrow(error);
  });

  it('refuses a batch of another format version with a clear error', () => {
    const payload = Buffer.from(encodeRecordBatch([plain('hello')]).payload);
    payload[0] = 2;
    expect(() => decodeRecordBatch(payload)).toThrow(/unknown record batch version 2/);
  });

  it('rejects a damaged batch instead of decoding garbage', () => {
    const bytes = Buffer.from(encodeRecordBatch([plain('hello'), { ...plain('there'), fields: { a: 'b' } }]).payload);
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeRecordBatch(bytes.subarray(0, cut))).toThrow();
    expect(() => decodeRecordBatch(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/corrupt/);
  });
});

function sameLabels(a: LogLabels, b: LogLabels): boolean {
  const keys = ['device', 'source', 'site', 'unit', 'pod', 'container'] as const;
  return keys.every((key) => a[key] === b[key]);
}
