import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LineAssembler, lineToRecord, recordBytes, lineText } from './lines.js';
import { CaptureDecoder, CAPTURE_MAGIC, encodeChunk, concat, type CaptureChunk } from './capture-format.js';

describe('LineAssembler + lineToRecord', () => {
  it('records reproduce every received byte, however the stream is sliced', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }),
        fc.constantFrom(...[8, 64, 4096]),
        fc.array(fc.constantFrom(...'ab\n\r\x1b[0m\u00e9'.split('')), { maxLength: 40 }),
        (chunks, maxLine, textChars) => {
          const asm = new LineAssembler(maxLine);
          const all = [...chunks, new TextEncoder().encode(textChars.join(''))];
          const records = all.flatMap((c, i) => asm.push(BigInt(i), c).map((l) => lineToRecord(l, { device: 'd' })));
          const last = asm.flush();
          if (last) records.push(lineToRecord(last, { device: 'd' }));
          const rebuilt = records.map(recordBytes).reduce(concat, new Uint8Array());
          expect(rebuilt).toEqual(all.reduce(concat, new Uint8Array()));
          for (const r of records) expect(r.labels).toEqual({ device: 'd', source: 'serial' });
        },
      ),
    );
  });

  it('stamps a line with its first byte and keeps clean text without hex', () => {
    const asm = new LineAssembler();
    expect(asm.push(10n, new TextEncoder().encode('boot'))).toEqual([]);
    const [line] = asm.push(20n, new TextEncoder().encode('ing\r\nnext'));
    const rec = lineToRecord(line!, { device: 'usb-x', site: 's1' });
    expect(rec).toEqual({ tsNs: 10n, labels: { device: 'usb-x', site: 's1', source: 'serial' }, level: 'info', message: 'booting', fields: { hex: '626f6f74696e670d' } });
    expect(lineToRecord({ tsNs: 1n, bytes: new TextEncoder().encode('plain'), complete: true }, { device: 'x' }).fields).toBeUndefined();
    expect(lineText(new TextEncoder().encode('\x1b[32mOK\x1b[0m\x07'))).toBe('OK\uFFFD');
  });
});

describe('capture format', () => {
  const chunkArb = fc.record({
    dir: fc.constantFrom<CaptureChunk['dir']>('rx', 'tx', 'note'),
    tsNs: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    bytes: fc.uint8Array({ maxLength: 40 }),
  });

  it('decodes what it encodes, whatever the read sizes', () => {
    fc.assert(
      fc.property(fc.array(chunkArb, { maxLength: 10 }), fc.integer({ min: 1, max: 17 }), (chunks, slice) => {
        const file = [CAPTURE_MAGIC, ...chunks.map(encodeChunk)].reduce(concat, new Uint8Array());
        const dec = new CaptureDecoder();
        const got: CaptureChunk[] = [];
        for (let i = 0; i < file.length; i += slice) got.push(...dec.push(file.subarray(i, i + slice)));
        expect(got).toEqual(chunks);
        expect(dec.pending).toBe(0);
      }),
    );
  });

  it('rejects a file that is not a capture', () => {
    expect(() => new CaptureDecoder().push(new TextEncoder().encode('hello world\n'))).toThrow(/bad magic/);
  });
});
