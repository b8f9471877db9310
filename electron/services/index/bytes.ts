/** Growable little-endian byte writer and matching reader; varints are unsigned, up to 2^53. */
export class ByteWriter {
  private buffer: Buffer;
  length = 0;

  constructor(initial = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initial);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  varint(value: number): void {
    this.ensure(8);
    let v = value;
    // integer steps while it fits 31 bits (nearly always), floating-point ones above
    while (v > 0x7fffffff) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    while (v >= 0x80) {
      this.buffer[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[this.length++] = v;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** UTF-8 string prefixed by its byte length as u32. */
  string(value: string): void {
    this.ensure(4 + value.length * 3);
    const written = this.buffer.write(value, this.length + 4, 'utf8');
    this.buffer.writeUInt32LE(written, this.length);
    this.length += 4 + written;
  }

  /** UTF-8 string without a length prefix. */
  raw(value: string): void {
    this.ensure(value.length * 3);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  /** A view of the written bytes (valid until the next write). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

export class ByteReader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.buffer.length) throw new RangeError('truncated varint');
      const byte = this.buffer[this.offset++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new RangeError('varint too long');
    }
  }

  u8(): number {
    if (this.offset >= this.buffer.length) throw new RangeError('truncated byte');
    return this.buffer[this.offset++];
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  /** The next `length` bytes as a fresh, aligned array. */
  copy(length: number): Uint8Array {
    if (this.offset + length > this.buffer.length) throw new RangeError('truncated bytes');
    const out = new Uint8Array(length);
    out.set(this.buffer.subarray(this.offset, this.offset + length));
    this.offset += length;
    return out;
  }

  /** The next `length` bytes, as a view. */
  bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new RangeError('truncated bytes');
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(): string {
    return this.bytes(this.u32()).toString('utf8');
  }
}
