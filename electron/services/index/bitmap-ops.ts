/**
 * Row bitmaps (bit i of byte i >> 3 = row i) combined and counted 32 bits at a time when every operand starts on a
 * 4-byte boundary and is a whole number of words long (a full block's 256 bytes from an aligned buffer), else byte by
 * byte. V8 runs a byte loop at about 3 ns a byte: the bitmap loops were most of a phrase query's time.
 */

const fitsWords = (bitmap: Uint8Array) => ((bitmap.byteOffset | bitmap.length) & 3) === 0;
const words = (bitmap: Uint8Array) => new Uint32Array(bitmap.buffer, bitmap.byteOffset, bitmap.length >> 2);

/** `target &= source`. */
export function andInto(target: Uint8Array, source: Uint8Array): void {
  if (fitsWords(target) && fitsWords(source)) {
    const t = words(target);
    const s = words(source);
    for (let i = 0; i < t.length; i++) t[i] &= s[i];
  } else for (let i = 0; i < target.length; i++) target[i] &= source[i];
}

/** `target |= source`. */
export function orInto(target: Uint8Array, source: Uint8Array): void {
  if (fitsWords(target) && fitsWords(source)) {
    const t = words(target);
    const s = words(source);
    for (let i = 0; i < t.length; i++) t[i] |= s[i];
  } else for (let i = 0; i < target.length; i++) target[i] |= source[i];
}

/** `target &= ~source`. */
export function andNotInto(target: Uint8Array, source: Uint8Array): void {
  if (fitsWords(target) && fitsWords(source)) {
    const t = words(target);
    const s = words(source);
    for (let i = 0; i < t.length; i++) t[i] &= ~s[i];
  } else for (let i = 0; i < target.length; i++) target[i] &= ~source[i];
}

/** `target |= a & b`. */
export function orAndInto(target: Uint8Array, a: Uint8Array, b: Uint8Array): void {
  if (fitsWords(target) && fitsWords(a) && fitsWords(b)) {
    const t = words(target);
    const wa = words(a);
    const wb = words(b);
    for (let i = 0; i < t.length; i++) t[i] |= wa[i] & wb[i];
  } else for (let i = 0; i < target.length; i++) target[i] |= a[i] & b[i];
}

export function isEmpty(bitmap: Uint8Array): boolean {
  if (fitsWords(bitmap)) {
    const w = words(bitmap);
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  } else for (let i = 0; i < bitmap.length; i++) if (bitmap[i] !== 0) return false;
  return true;
}

/** The number of set bits. */
export function countBits(bitmap: Uint8Array): number {
  let count = 0;
  if (fitsWords(bitmap)) {
    const w = words(bitmap);
    for (let i = 0; i < w.length; i++) count += bitsOf(w[i]);
  } else for (let i = 0; i < bitmap.length; i++) count += bitsOf(bitmap[i]);
  return count;
}

/** Population count of a 32-bit value (SWAR). */
function bitsOf(value: number): number {
  let x = value - ((value >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
