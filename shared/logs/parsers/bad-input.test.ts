import { describe, expect, it } from 'vitest';
import { parseBytes } from './parse-bytes.js';
import { nsToIso } from './timestamps.js';

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

describe('bad input is imported and counted, never fatal', () => {
  it('invalid UTF-8 becomes replacement characters', () => {
    const { records, stats } = parseBytes('f', bytes('2026-11-28T10:00:00Z bad ', [0xc3, 0x28, 0xff], ' bytes\n'));
    expect(stats).toMatchObject({ invalidUtf8: 1, records: 1 });
    expect(records[0]!.message).toBe('bad \uFFFD(\uFFFD bytes');
  });

  it('NUL bytes are kept visible as U+2400', () => {
    const { records, stats } = parseBytes('f', bytes('2026-11-28T10:00:00Z a', [0, 0], 'b\n'));
    expect(stats.nulBytes).toBe(1);
    expect(records[0]!.message).toBe('a\u2400\u2400b');
  });

  it('CRLF line ends are counted and removed, a last line without newline is kept', () => {
    const { records, stats } = parseBytes('f', '2026-11-28T10:00:00Z one\r\n2026-11-28T10:00:01Z two\r\n2026-11-28T10:00:02Z three');
    expect(stats).toMatchObject({ crlf: 2, noFinalNewline: 1, records: 3 });
    expect(records.map((record) => record.message)).toEqual(['one', 'two', 'three']);
  });

  it('a 10 MB line is stored truncated with a marker, in bounded memory, whatever the chunking', () => {
    const head = new TextEncoder().encode('2026-11-28T10:00:00Z ');
    const tail = new TextEncoder().encode('\n2026-11-28T10:00:01Z after\n');
    const lineBytes = 10 * 1024 * 1024;
    const all = new Uint8Array(lineBytes + tail.length).fill(97);
    all.set(head, 0);
    all.set(tail, lineBytes);
    for (const chunkSize of [65536, 1 << 20]) {
      const { records, stats } = parseBytes('f', all, { chunkSize, maxLineBytes: 4096 });
      expect(stats).toMatchObject({ truncated: 1, records: 2, lines: 2 });
      expect(records[0]!.message).toBe(`${'a'.repeat(4096 - 21)} …[truncated ${lineBytes - 4096} bytes]`);
      expect(records[0]!.fields!.truncated_bytes).toBe(String(lineBytes - 4096));
      expect(records[1]!.message).toBe('after');
    }
  });

  it('missing timestamps take the previous one (or the ingest time) and are flagged', () => {
    const { records, stats } = parseBytes('f.json', '{"msg":"first"}\n{"ts":"2026-11-28T10:00:00Z","msg":"second"}\n{"msg":"third"}\n', { ingestTimeNs: 7n });
    expect(stats).toMatchObject({ missingTs: 2, records: 3 });
    expect(records.map((record) => [record.tsNs, record.fields!.ts_flag])).toEqual([
      [7n, 'missing'],
      [records[1]!.tsNs, undefined],
      [records[1]!.tsNs, 'missing'],
    ]);
    expect(nsToIso(records[1]!.tsNs)).toBe('2026-11-28T10:00:00.000000000Z');
  });

  it('out-of-order timestamps take the previous one, the original is kept in ts_orig', () => {
    const { records, stats } = parseBytes('f', '2026-11-28T10:00:05Z b\n2026-11-28T10:00:01Z a\n2026-11-28T10:00:06Z c\n');
    expect(stats.outOfOrder).toBe(1);
    expect(records.map((record) => nsToIso(record.tsNs).slice(11, 19))).toEqual(['10:00:05', '10:00:05', '10:00:06']);
    expect(records[1]!.fields).toMatchObject({ ts_flag: 'out_of_order', ts_orig: '2026-11-28T10:00:01.000000000Z' });
  });

  it('blank lines are counted, binary files are skipped with a reason', () => {
    expect(parseBytes('f', '\n  \n2026-11-28T10:00:00Z x\n').stats).toMatchObject({ blankLines: 2, records: 1 });
    const binary = parseBytes('core', new Uint8Array(4096).map((_, i) => i % 7));
    expect(binary.stats).toMatchObject({ format: 'binary', records: 0, skipped: 'binary content', bytes: 4096 });
    expect(parseBytes('system.journal', bytes('LPKSHHRH', [0, 0, 1, 2])).stats.format).toBe('binary');
  });
});
