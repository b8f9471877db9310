/** Checksums used by XMODEM/YMODEM (CRC-16/XMODEM, 8-bit sum) and by U-Boot's `crc32` command (CRC-32/IEEE). */

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

const CRC32_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-16/XMODEM (poly 0x1021, init 0). */
export function crc16Xmodem(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >>> 8) ^ data[i]!) & 0xff]!;
  return crc;
}

/** Arithmetic 8-bit checksum of original XMODEM. */
export function sum8(data: Uint8Array, start = 0, end = data.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + data[i]!) & 0xff;
  return s;
}

/** Incremental CRC-32/IEEE: pass the previous result as `crc` to continue over several chunks. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC32_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
