import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { crc16Xmodem, crc32, sum8, hex32 } from './crc.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('checksums', () => {
  it('match the published check values', () => {
    expect(crc16Xmodem(ascii('123456789'))).toBe(0x31c3);
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(hex32(crc32(new Uint8Array()))).toBe('00000000');
    expect(sum8(new Uint8Array([0xff, 0x02]))).toBe(0x01);
  });

  it('crc32 can be computed chunk by chunk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (data, cut) => {
        const at = Math.min(cut, data.length);
        expect(crc32(data.subarray(at), crc32(data.subarray(0, at)))).toBe(crc32(data));
      }),
    );
  });

  it('a block followed by its CRC16 has a zero remainder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (data) => {
        const c = crc16Xmodem(data);
        const framed = new Uint8Array([...data, c >> 8, c & 0xff]);
        expect(crc16Xmodem(framed)).toBe(0);
      }),
    );
  });
});
