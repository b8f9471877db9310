/** MSB-first bit streams over 32-bit words, the substrate of the chunk codec. */

export class BitWriter {
  private words: Uint32Array;
  private wordCount = 0;
  private acc = 0;
  private accBits = 0;

  constructor(initialWords = 1024) {
    this.words = new Uint32Array(Math.max(initialWords, 4));
  }

  /** Writes the low `n` bits of `value` (0 < n <= 32). */
  write(value: number, n: number): void {
    const v = n === 32 ? value >>> 0 : (value & ((1 << n) - 1)) >>> 0;
    const free = 32 - this.accBits;
    if (n < free) {
      this.acc |= v << (free - n);
      this.accBits += n;
    } else {
      const over = n - free;
      this.acc |= v >>> over;
      this.flushWord();
      this.acc = over === 0 ? 0 : v << (32 - over);
      this.accBits = over;
    }
  }

  writeBit(bit: number): void {
    if (bit) this.acc |= 1 << (31 - this.accBits);
    if (++this.accBits === 32) {
      this.flushWord();
      this.acc = 0;
      this.accBits = 0;
    }
  }

  /** Writes `n` zero bits (any n >= 0). */
  writeZeros(n: number): void {
    let bits = this.accBits + n;
    if (bits < 32) {
      this.accBits = bits;
      return;
    }
    this.flushWord();
    this.acc = 0;
    for (bits -= 32; bits >= 32; bits -= 32) this.flushWord();
    this.accBits = bits;
  }

  /** Writes `src[from..to)` (unsigned integers below 2^width, 0 < width <= 32) at `width` bits each. */
  writeFixed(src: Float64Array, from: number, to: number, width: number): void {
    this.reserve(((to - from) * width + 31) >>> 5);
    const words = this.words;
    let count = this.wordCount;
    let acc = this.acc;
    let free = 32 - this.accBits;
    for (let i = from; i < to; i++) {
      const v = src[i]! >>> 0;
      if (width < free) {
        acc |= v << (free - width);
        free -= width;
      } else {
        const over = width - free;
        words[count++] = (acc | (v >>> over)) >>> 0;
        acc = over === 0 ? 0 : v << (32 - over);
        free = 32 - over;
      }
    }
    this.wordCount = count;
    this.acc = acc;
    this.accBits = 32 - free;
  }

  /** Writes the low `n` bits (0 < n <= 64) of the 64-bit value hi:lo. */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else {
      this.write(lo, n);
    }
  }

  get bitLength(): number {
    return this.wordCount * 32 + this.accBits;
  }

  /** The stream padded to whole words. The writer must not be used afterwards. */
  finish(): Uint32Array {
    if (this.accBits > 0) this.flushWord();
    return this.words.subarray(0, this.wordCount);
  }

  private flushWord(): void {
    if (this.wordCount === this.words.length) this.reserve(1);
    this.words[this.wordCount++] = this.acc >>> 0;
  }

  /** Makes room for `more` words beyond those written. */
  private reserve(more: number): void {
    if (this.wordCount + more <= this.words.length) return;
    const grown = new Uint32Array(Math.max(this.words.length * 2, this.wordCount + more));
    grown.set(this.words.subarray(0, this.wordCount));
    this.words = grown;
  }
}

export class BitReader {
  private pos = 0;
  private readonly limit: number;

  constructor(private readonly words: Uint32Array) {
    this.limit = words.length * 32;
  }

  /** Reads `n` bits (0 < n <= 32) as an unsigned number. */
  read(n: number): number {
    const end = this.pos + n;
    if (end > this.limit) throw new RangeError('bit stream truncated');
    const index = this.pos >>> 5;
    const offset = this.pos & 31;
    const avail = 32 - offset;
    this.pos = end;
    const head = (this.words[index]! << offset) >>> 0;
    if (n <= avail) return n === 32 ? head : head >>> (32 - n);
    return ((head >>> (32 - n)) | (this.words[index + 1]! >>> (32 - (n - avail)))) >>> 0;
  }

  /** Reads `to - from` values of `width` bits (0 < width <= 32) into `dst[from..to)`. */
  readFixed(dst: Float64Array, from: number, to: number, width: number): void {
    const words = this.words;
    let pos = this.pos;
    if (pos + (to - from) * width > this.limit) throw new RangeError('bit stream truncated');
    for (let i = from; i < to; i++) {
      const index = pos >>> 5;
      const offset = pos & 31;
      const head = (words[index]! << offset) >>> 0;
      const avail = 32 - offset;
      dst[i] = width <= avail ? (width === 32 ? head : head >>> (32 - width)) : ((head >>> (32 - width)) | (words[index + 1]! >>> (32 - (width - avail)))) >>> 0;
      pos += width;
    }
    this.pos = pos;
  }

  /** Skips consecutive 0 bits, at most `max`, and returns how many it skipped. */
  skipZeros(max: number): number {
    const start = this.pos;
    const end = Math.min(this.limit, start + max);
    let pos = start;
    while (pos < end) {
      const word = (this.words[pos >>> 5]! << (pos & 31)) >>> 0;
      if (word !== 0) {
        pos += Math.clz32(word);
        break;
      }
      pos += 32 - (pos & 31);
    }
    this.pos = Math.min(pos, end);
    return this.pos - start;
  }

  readBit(): number {
    if (this.pos >= this.limit) throw new RangeError('bit stream truncated');
    const bit = (this.words[this.pos >>> 5]! >>> (31 - (this.pos & 31))) & 1;
    this.pos++;
    return bit;
  }
}
