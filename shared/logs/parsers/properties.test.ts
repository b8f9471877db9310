import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../record.js';
import { FORMAT_IDS } from './entry.js';
import { LineSplitter, concatBytes } from './line-splitter.js';
import { parseBytes } from './parse-bytes.js';
import { SerialLineSplitter } from './serial-splitter.js';

/** Bytes rich in the characters parsers care about, so short inputs still hit line ends, escapes and JSON. */
const logishBytes = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...[10, 13, 0, 27, 91, 123, 125, 34, 58, 32, 0xff, 0xc3].map((b) => b)), fc.constantFrom(...['2026-11-28T10:00:00Z ', 'Nov 28 10:00:00 host app[1]: ', 'I1128 10:00:00.000001 1 a.go:1] ', '{"ts":1764324000,"msg":"m"}', '2026-11-28T10:00:00Z stdout P ', '<34>1 2026-11-28T10:00:00Z h a - - - ', '__REALTIME_TIMESTAMP=1\nMESSAGE\n\x02\x00\x00\x00\x00\x00\x00\x00'].map((s) => [...new TextEncoder().encode(s)]))), { maxLength: 400 })
  .map((items) => new Uint8Array(items.flatMap((item) => (typeof item === 'number' ? [item] : item))));

const comparable = (records: LogRecord[]) => records.map((record) => ({ ...record, tsNs: record.tsNs.toString() }));

describe('parser properties', () => {
  it('never throw on arbitrary bytes, in any format, and account for every byte', () => {
    fc.assert(
      fc.property(logishBytes, fc.constantFrom(undefined, ...FORMAT_IDS), fc.integer({ min: 1, max: 64 }), (bytes, format, chunkSize) => {
        const { records, stats } = parseBytes('fuzz', bytes, { format, chunkSize, maxLineBytes: 64 });
        expect(stats.bytes).toBe(bytes.length);
        expect(stats.records).toBe(records.length);
        for (const record of records) expect(typeof record.message).toBe('string');
      }),
      { numRuns: 400 },
    );
  });

  it('give the same records whatever the chunking', () => {
    fc.assert(
      fc.property(logishBytes, fc.integer({ min: 1, max: 50 }), (bytes, chunkSize) => {
        const whole = parseBytes('fuzz', bytes, { maxLineBytes: 64 });
        const chunked = parseBytes('fuzz', bytes, { maxLineBytes: 64, chunkSize });
        expect(comparable(chunked.records)).toEqual(comparable(whole.records));
        expect(chunked.stats).toEqual(whole.stats);
      }),
      { numRuns: 300 },
    );
  });

  it('serial splitter: concatenated raw bytes equal the input whatever the chunking; texts hold no line ends', () => {
    fc.assert(
      fc.property(logishBytes, fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), (bytes, cuts, maxLineBytes) => {
        const raws: Uint8Array[] = [];
        const splitter = new SerialLineSplitter(maxLineBytes, (line) => {
          expect(line.text).not.toMatch(/[\r\n]/);
          raws.push(line.raw);
        });
        const points = [...new Set(cuts.map((cut) => Math.min(cut, bytes.length)))].sort((a, b) => a - b);
        let start = 0;
        for (const point of [...points, bytes.length]) {
          splitter.push(bytes.subarray(start, point));
          start = point;
        }
        splitter.end();
        expect(concatBytes(raws, raws.reduce((sum, raw) => sum + raw.length, 0))).toEqual(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('line splitter: lines rejoined with LF give back the input when nothing is cut', () => {
    fc.assert(
      fc.property(logishBytes, fc.integer({ min: 1, max: 30 }), (bytes, chunkSize) => {
        const lines: Uint8Array[] = [];
        const splitter = new LineSplitter(1 << 20, (line) => lines.push(line.crlf ? new Uint8Array([...line.bytes, 13]) : line.bytes.slice()));
        for (let offset = 0; offset < bytes.length; offset += chunkSize) splitter.push(bytes.subarray(offset, offset + chunkSize));
        splitter.end();
        const rejoined = lines.flatMap((line, index) => [...line, ...(index < lines.length - 1 || bytes[bytes.length - 1] === 10 ? [10] : [])]);
        expect(new Uint8Array(rejoined)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('CRI: partial lines join back into the original message', () => {
    const piece = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '|', 'P', 'F', '\t'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.array(piece, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 40 }), (messages, chunkSize) => {
        const lines = messages.flatMap((pieces, m) =>
          pieces.map((text, p) => `2026-11-28T10:00:${String(m).padStart(2, '0')}.${String(p).padStart(9, '0')}Z stdout ${p === pieces.length - 1 ? 'F' : 'P'} ${text}`),
        );
        const { records, stats } = parseBytes('/var/log/pods/ns_pod_uid/c/0.log', `${lines.join('\n')}\n`, { chunkSize, format: 'cri' });
        expect(records.map((record) => record.message)).toEqual(messages.map((pieces) => pieces.join('').replace(/[\r\n]+$/, '')));
        expect(stats.lines).toBe(lines.length);
      }),
      { numRuns: 300 },
    );
  });
});
