import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JournalExportParser, journalEntryToRecord, type JournalEntry } from './journal-export.js';

const enc = new TextEncoder();

function binaryField(name: string, value: string): Uint8Array {
  const data = enc.encode(value);
  const out = new Uint8Array(name.length + 1 + 8 + data.length + 1);
  out.set(enc.encode(`${name}\n`));
  new DataView(out.buffer).setBigUint64(name.length + 1, BigInt(data.length), true);
  out.set(data, name.length + 9);
  out[out.length - 1] = 10;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

const SAMPLE = concat([
  enc.encode('__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1764330000123456\nPRIORITY=3\n_SYSTEMD_UNIT=k3s.service\nMESSAGE=a=b\n\n'),
  enc.encode('__REALTIME_TIMESTAMP=1764330000999999\nSYSLOG_IDENTIFIER=kernel\n'),
  binaryField('MESSAGE', 'two\nlines \u00e9'),
  enc.encode('\n'),
]);

function parseInChunks(bytes: Uint8Array, cuts: number[]): JournalEntry[] {
  const parser = new JournalExportParser();
  const points = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  const out: JournalEntry[] = [];
  for (let i = 1; i < points.length; i++) out.push(...parser.push(bytes.subarray(points[i - 1], points[i])));
  return [...out, ...parser.end()];
}

describe('journal export format', () => {
  it('parses text and binary fields', () => {
    const entries = parseInChunks(SAMPLE, []);
    expect(entries).toHaveLength(2);
    expect(entries[0].get('MESSAGE')).toBe('a=b');
    expect(entries[1].get('MESSAGE')).toBe('two\nlines \u00e9');
  });

  it('gives the same entries however the stream is chunked', () => {
    const whole = parseInChunks(SAMPLE, []);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(parseInChunks(SAMPLE, cuts)).toEqual(whole);
      }),
    );
  });

  it('maps entries to log records', () => {
    const [first, second] = parseInChunks(SAMPLE, []);
    expect(journalEntryToRecord(first, { device: 'gw' })).toEqual({
      tsNs: 1764330000123456000n,
      labels: { device: 'gw', source: 'journald', unit: 'k3s.service' },
      level: 'error',
      message: 'a=b',
      fields: { __CURSOR: 's=1;i=1', _SYSTEMD_UNIT: 'k3s.service' },
    });
    expect(journalEntryToRecord(second, { device: 'gw', site: 's' })).toMatchObject({ level: 'info', labels: { unit: 'kernel', site: 's' } });
  });

  it('rejects absurd binary sizes and missing terminators with a clear error', () => {
    const huge = concat([enc.encode('MESSAGE\n'), new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]), enc.encode('x')]);
    expect(() => new JournalExportParser().push(huge)).toThrow(/claims/);
    const bad = concat([enc.encode('MESSAGE\n'), new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]), enc.encode('xy')]);
    expect(() => new JournalExportParser().push(bad)).toThrow(/newline/);
  });

  it('never crashes on arbitrary bytes except with its own errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          new JournalExportParser().push(bytes);
        } catch (e) {
          expect((e as Error).message).toMatch(/^journal export:/);
        }
      }),
    );
  });
});
