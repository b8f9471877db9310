import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LEVELS, SOURCE_KINDS, type LogRecord } from '../../../shared/logs/record.js';
import { decodeRecordBatch, encodeRecordBatch, labelsFromKey, labelsKey } from './record-codec.js';

const text = fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s);
const record: fc.Arbitrary<LogRecord> = fc.record(
  {
    tsNs: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    labels: fc.record({ device: text, source: fc.constantFrom(...SOURCE_KINDS), unit: text, pod: text }, { requiredKeys: ['device', 'source'] }),
    level: fc.constantFrom(...LEVELS),
    message: text,
    fields: fc.dictionary(text, text, { maxKeys: 3 }),
  },
  { requiredKeys: ['tsNs', 'labels', 'level', 'message'] },
);

describe('record batch codec', () => {
  it('round-trips any batch of well-formed records (property)', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const expected = records.map((r) => {
          const copy: LogRecord = { ...r };
          if (!copy.fields || Object.keys(copy.fields).length === 0) delete copy.fields;
          return copy;
        });
        expect(decodeRecordBatch(Buffer.from(encodeRecordBatch(records)))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives equal label sets equal keys and round-trips them', () => {
    const labels = { device: 'gw-1', source: 'pod' as const, pod: 'api-1', container: 'api' };
    expect(labelsKey({ ...labels })).toBe(labelsKey(labels));
    expect(labelsKey({ ...labels, container: undefined })).not.toBe(labelsKey(labels));
    expect(labelsFromKey(labelsKey(labels))).toEqual(labels);
  });

  it('rejects a damaged batch instead of decoding garbage', () => {
    const bytes = Buffer.from(encodeRecordBatch([{ tsNs: 1n, labels: { device: 'd', source: 'file' }, level: 'info', message: 'hello' }]));
    expect(() => decodeRecordBatch(bytes.subarray(0, bytes.length - 3))).toThrow();
  });
});
