import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { andInto, andNotInto, countBits, isEmpty, orAndInto, orInto } from './bitmap-ops.js';

/** `bytes` placed at `offset` in a fresh buffer: at 0 or 4 the word loops apply (when the length is whole words). */
function placed(bytes: number[], offset: number): Uint8Array {
  const bitmap = new Uint8Array(new ArrayBuffer(offset + bytes.length), offset, bytes.length);
  bitmap.set(bytes);
  return bitmap;
}

/** Three operands of one length: whole words half of the time, each on a word boundary four times in seven. */
const operands = fc.oneof(fc.integer({ min: 0, max: 17 }).map((words) => words * 4), fc.integer({ min: 0, max: 70 })).chain((length) =>
  fc.tuple(...[0, 1, 2].map(() => fc.record({ bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: length, maxLength: length }), offset: fc.constantFrom(0, 4, 0, 4, 1, 2, 3) }))),
);

describe('bitmap-ops', () => {
  it('combines and counts like byte-by-byte reference loops, aligned or not (property)', () => {
    fc.assert(
      fc.property(operands, ([a, b, c]) => {
        const reference = (op: (x: number, y: number, z: number) => number) => a.bytes.map((x, i) => op(x, b.bytes[i], c.bytes[i]) & 0xff);
        const run = (apply: (target: Uint8Array, x: Uint8Array, y: Uint8Array) => void) => {
          const target = placed(a.bytes, a.offset);
          apply(target, placed(b.bytes, b.offset), placed(c.bytes, c.offset));
          return [...target];
        };
        expect(run((t, x) => andInto(t, x))).toEqual(reference((x, y) => x & y));
        expect(run((t, x) => orInto(t, x))).toEqual(reference((x, y) => x | y));
        expect(run((t, x) => andNotInto(t, x))).toEqual(reference((x, y) => x & ~y));
        expect(run((t, x, y) => orAndInto(t, x, y))).toEqual(reference((x, y, z) => x | (y & z)));
        const bits = a.bytes.reduce((sum, byte) => sum + [...byte.toString(2)].filter((digit) => digit === '1').length, 0);
        expect(countBits(placed(a.bytes, a.offset))).toBe(bits);
        expect(isEmpty(placed(a.bytes, a.offset))).toBe(bits === 0);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the one set bit at the very end of a word-aligned bitmap', () => {
    const bitmap = placed([...new Array<number>(255).fill(0), 0x80], 0);
    expect(isEmpty(bitmap)).toBe(false);
    expect(countBits(bitmap)).toBe(1);
  });
});
