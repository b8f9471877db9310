import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsoleFormatter, fromBase64, isMultiLine, pastedToWire, toBase64, typedToWire } from './terminal-format.js';

const decode = (out: Uint8Array | string) => (typeof out === 'string' ? out : new TextDecoder().decode(out));
// eslint-disable-next-line no-control-regex
const STAMP = /\x1b\[2m\[\d\d:\d\d:\d\d\.\d{3}\]\x1b\[22m /g;
const chunked = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 });
const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

describe('ConsoleFormatter', () => {
  it('passes bytes through untouched in plain text view', () => {
    const bytes = new Uint8Array([0x1b, 0x5b, 0x31, 0x6d, 0xc3, 0xa9, 0x0d, 0x0a]);
    expect(new ConsoleFormatter({ hex: false, timestamps: false }).push(0, bytes)).toBe(bytes);
  });

  it('stamps the start of every line, however the bytes are chunked, and adds nothing else', () => {
    fc.assert(
      fc.property(chunked, (chunks) => {
        const formatter = new ConsoleFormatter({ hex: false, timestamps: true });
        const out = chunks.map((c) => latin1(formatter.push(Date.UTC(2026, 0, 1), c) as Uint8Array)).join('');
        const all = chunks.map(latin1).join('');
        expect(out.replace(STAMP, '')).toBe(all);
        const lines = all.length === 0 ? 0 : all.split('\n').length - (all.endsWith('\n') ? 1 : 0);
        expect(out.match(STAMP)?.length ?? 0).toBe(lines);
      }),
    );
  });

  it('dumps 16 bytes per hex row with a printable gutter, across chunks', () => {
    const formatter = new ConsoleFormatter({ hex: true, timestamps: false });
    const text = 'U-Boot 2024.01\r\n=> ';
    const bytes = new TextEncoder().encode(text);
    const out = decode(formatter.push(0, bytes.subarray(0, 5))) + decode(formatter.push(0, bytes.subarray(5)));
    expect(out).toBe('55 2d 42 6f 6f 74 20 32 30 32 34 2e 30 31 0d 0a  |U-Boot 2024.01..|\r\n3d 3e 20 ');
  });

  it('keeps every byte in the hex view', () => {
    fc.assert(
      fc.property(chunked, fc.boolean(), (chunks, timestamps) => {
        const formatter = new ConsoleFormatter({ hex: true, timestamps });
        const out = chunks.map((c) => decode(formatter.push(0, c))).join('').replace(STAMP, '').replace(/ \|[^\r]*\|\r\n/g, ' ');
        const hex = out.trim() === '' ? [] : out.trim().split(/ +/).map((h) => parseInt(h, 16));
        expect(hex).toEqual(chunks.flatMap((c) => [...c]));
      }),
    );
  });
});

describe('line endings, paste and base64', () => {
  it('turns Enter into the chosen line ending', () => {
    expect(typedToWire('ls\r', 'crlf')).toBe('ls\r\n');
    expect(typedToWire('ls\r', 'lf')).toBe('ls\n');
    expect(typedToWire('ls\r', 'cr')).toBe('ls\r');
  });

  it('normalizes pasted newlines of any convention', () => {
    expect(pastedToWire('a\r\nb\nc\rd', 'cr')).toBe('a\rb\rc\rd');
    expect(pastedToWire('a\r\nb\n', 'crlf')).toBe('a\r\nb\r\n');
  });

  it('asks before pasting anything with a newline', () => {
    expect(isMultiLine('reboot')).toBe(false);
    expect(isMultiLine('reboot\n')).toBe(true);
    expect(isMultiLine('a\r\nb')).toBe(true);
  });

  it('round-trips UTF-8 through base64', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(new TextDecoder().decode(fromBase64(toBase64(text)))).toBe(text);
      }),
    );
  });
});
