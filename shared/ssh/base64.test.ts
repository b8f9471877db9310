import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64', () => {
  it('matches RFC 4648 vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, coded] of vectors) {
      const bytes = new TextEncoder().encode(plain);
      expect(encodeBase64(bytes)).toBe(coded);
      expect(encodeBase64(bytes, false)).toBe(coded.replace(/=+$/, ''));
      expect(decodeBase64(coded)).toEqual(bytes);
    }
  });

  it('round-trips any bytes, padded or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, pad) => {
        expect(decodeBase64(encodeBase64(bytes, pad))).toEqual(bytes);
      }),
    );
  });

  it('rejects what is not base64 instead of guessing', () => {
    for (const bad of ['a', 'ab!c', 'Zg===', 'Z g=']) expect(decodeBase64(bad)).toBeUndefined();
    fc.assert(fc.property(fc.string(), (s) => void decodeBase64(s)));
  });
});
