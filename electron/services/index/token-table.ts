/**
 * Per-block token statistics gathered while sealing: distinct (h1, h2) keys with the number of rows holding each,
 * feeding the block's bloom filter and the row bitmaps ("postings") of its most frequent words.
 * Open addressing on typed arrays: no per-token allocation in the ingest hot loop.
 */
import type { HashSink } from './token-hash.js';

export interface Postings {
  h1: number[];
  h2: number[];
  /** One bitmap of `rows` bits per word, concatenated. */
  bitmaps: Uint8Array;
}

export const KeyKind = { Word: 0, Prefix: 1, Field: 2 } as const;
export type KeyKind = (typeof KeyKind)[keyof typeof KeyKind];

export class TokenTable implements HashSink {
  private capacity = 1 << 14;
  private keys1 = new Uint32Array(this.capacity);
  private keys2 = new Uint32Array(this.capacity);
  private counts = new Uint32Array(this.capacity);
  private lastRow = new Int32Array(this.capacity).fill(-1);
  private used = new Uint8Array(this.capacity);
  size = 0;
  private addSlots = new Uint32Array(1 << 16);
  private addRows = new Uint32Array(1 << 16);
  private adds = 0;
  private kind = new Uint8Array(this.capacity);
  /** Occupied slots, in insertion order. */
  private slots = new Uint32Array(this.capacity);

  reset(): void {
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i];
      this.used[slot] = 0;
      this.counts[slot] = 0;
      this.lastRow[slot] = -1;
      this.kind[slot] = 0;
    }
    this.size = 0;
    this.adds = 0;
  }

  /** Words and prefixes can get postings; fields go to the bloom filter only. */
  add(h1: number, h2: number, row: number, kind: KeyKind = KeyKind.Word): void {
    if (this.size * 2 >= this.capacity) this.grow();
    const mask = this.capacity - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.used[slot] === 1 && (this.keys1[slot] !== h1 || this.keys2[slot] !== h2)) slot = (slot + 1) & mask;
    if (this.used[slot] === 0) {
      this.used[slot] = 1;
      this.keys1[slot] = h1;
      this.keys2[slot] = h2;
      this.slots[this.size++] = slot;
    }
    this.kind[slot] = kind;
    if (this.lastRow[slot] !== row) {
      this.lastRow[slot] = row;
      this.counts[slot]++;
      if (this.adds === this.addSlots.length) this.growAdds();
      this.addSlots[this.adds] = slot;
      this.addRows[this.adds++] = row;
    }
  }

  forEachKey(visit: (h1: number, h2: number) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.keys1[this.slots[i]], this.keys2[this.slots[i]]);
  }

  /** Row bitmaps for the most frequent words and prefixes found in at least `minRows` rows, most frequent first. */
  postings(rows: number, minRows: number, limits: { words: number; prefixes: number }): Postings {
    const pick = (kind: KeyKind, limit: number) => {
      const slots: number[] = [];
      for (let i = 0; i < this.size; i++) {
        const slot = this.slots[i];
        if (this.kind[slot] === kind && this.counts[slot] >= minRows) slots.push(slot);
      }
      slots.sort((a, b) => this.counts[b] - this.counts[a]);
      return slots.slice(0, limit);
    };
    const frequent = [...pick(KeyKind.Word, limits.words), ...pick(KeyKind.Prefix, limits.prefixes)];
    const bytesPerBitmap = Math.ceil(rows / 8);
    const bitmaps = new Uint8Array(bytesPerBitmap * frequent.length);
    const order = new Int32Array(this.capacity).fill(-1);
    if (frequent.length === 0) return { h1: [], h2: [], bitmaps };
    frequent.forEach((slot, index) => (order[slot] = index));
    for (let i = 0; i < this.adds; i++) {
      const index = order[this.addSlots[i]];
      if (index >= 0) {
        const row = this.addRows[i];
        bitmaps[index * bytesPerBitmap + (row >> 3)] |= 1 << (row & 7);
      }
    }
    return { h1: frequent.map((slot) => this.keys1[slot]), h2: frequent.map((slot) => this.keys2[slot]), bitmaps };
  }

  private grow(): void {
    const old = { keys1: this.keys1, keys2: this.keys2, counts: this.counts, lastRow: this.lastRow, used: this.used, kind: this.kind, capacity: this.capacity };
    const remap = new Uint32Array(old.capacity);
    this.capacity *= 2;
    this.keys1 = new Uint32Array(this.capacity);
    this.keys2 = new Uint32Array(this.capacity);
    this.counts = new Uint32Array(this.capacity);
    this.lastRow = new Int32Array(this.capacity).fill(-1);
    this.used = new Uint8Array(this.capacity);
    this.kind = new Uint8Array(this.capacity);
    const oldSlots = this.slots;
    this.slots = new Uint32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let i = 0; i < this.size; i++) {
      const from = oldSlots[i];
      let slot = (old.keys1[from] ^ Math.imul(old.keys2[from], 0x9e3779b1)) & mask;
      while (this.used[slot] === 1) slot = (slot + 1) & mask;
      this.used[slot] = 1;
      this.keys1[slot] = old.keys1[from];
      this.keys2[slot] = old.keys2[from];
      this.counts[slot] = old.counts[from];
      this.lastRow[slot] = old.lastRow[from];
      this.kind[slot] = old.kind[from];
      this.slots[i] = slot;
      remap[from] = slot;
    }
    for (let i = 0; i < this.adds; i++) this.addSlots[i] = remap[this.addSlots[i]];
  }

  private growAdds(): void {
    const slots = new Uint32Array(this.addSlots.length * 2);
    slots.set(this.addSlots);
    const rows = new Uint32Array(this.addRows.length * 2);
    rows.set(this.addRows);
    this.addSlots = slots;
    this.addRows = rows;
  }
}

export const BLOOM_BITS_PER_KEY = 10;
export const BLOOM_HASHES = 7;

/** A bloom filter over every key of `table`, as 32-bit words. */
export function buildBloom(table: TokenTable): Uint32Array {
  const words = Math.max(2, Math.ceil((table.size * BLOOM_BITS_PER_KEY) / 32));
  const bits = new Uint32Array(words);
  const m = words * 32;
  table.forEachKey((h1, h2) => {
    for (let i = 0; i < BLOOM_HASHES; i++) {
      const bit = (h1 + i * h2) % m;
      bits[bit >>> 5] |= 1 << (bit & 31);
    }
  });
  return bits;
}

export function bloomHas(bits: Uint32Array, h1: number, h2: number): boolean {
  const m = bits.length * 32;
  for (let i = 0; i < BLOOM_HASHES; i++) {
    const bit = (h1 + i * h2) % m;
    if ((bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}
