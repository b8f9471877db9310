/**
 * Per-block token statistics gathered while sealing: distinct (h1, h2) keys with the number of rows holding each,
 * feeding the block's bloom filter (words, short prefixes, fields) and the row bitmaps ("postings") of its most
 * frequent words, prefixes and adjacent word pairs. It also notes the rows where a word occurs more than once: a
 * phrase whose words each occur once in a row and whose adjacent pairs are all there is in that row.
 * Open addressing on typed arrays: no per-token allocation in the ingest hot loop.
 */
import type { HashSink } from './token-hash.js';

export interface Postings {
  /** Keys sorted by h1, then h2. */
  h1: Uint32Array;
  h2: Uint32Array;
  /** One bitmap of `rows` bits per key, in key order, concatenated. */
  bitmaps: Uint8Array;
}

/** Bloom filter and postings kinds: fields go to the bloom filter only, long prefixes and pairs to postings only. */
export const KeyKind = { Word: 0, Prefix: 1, Field: 2, LongPrefix: 3, Pair: 4 } as const;
export type KeyKind = (typeof KeyKind)[keyof typeof KeyKind];

const isFilterKind = (kind: number) => kind === KeyKind.Word || kind === KeyKind.Prefix || kind === KeyKind.Field;

export class TokenTable implements HashSink {
  private capacity = 1 << 14;
  private keys1 = new Uint32Array(this.capacity);
  private keys2 = new Uint32Array(this.capacity);
  private counts = new Uint32Array(this.capacity);
  private lastRow = new Int32Array(this.capacity).fill(-1);
  private used = new Uint8Array(this.capacity);
  size = 0;
  /** Keys of the kinds that go into the bloom filter. */
  private filterSize = 0;
  private addSlots = new Uint32Array(1 << 16);
  private addRows = new Uint32Array(1 << 16);
  private adds = 0;
  private kind = new Uint8Array(this.capacity);
  /** Occupied slots, in insertion order. */
  private slots = new Uint32Array(this.capacity);
  private repeatSlots = new Uint32Array(1 << 10);
  private repeatRows = new Uint32Array(1 << 10);
  private repeats = 0;
  /** Rows a key must be in to get a bitmap; the slots that reached it. */
  private minRows = Infinity;
  private frequent: number[] = [];

  /** Starts a block: keys found in at least `minRows` rows are candidates for postings. */
  reset(minRows = Infinity): void {
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i];
      this.used[slot] = 0;
      this.counts[slot] = 0;
      this.lastRow[slot] = -1;
    }
    this.size = 0;
    this.filterSize = 0;
    this.adds = 0;
    this.repeats = 0;
    this.minRows = minRows;
    this.frequent = [];
  }

  add(h1: number, h2: number, row: number, kind: KeyKind = KeyKind.Word): void {
    if (this.size * 2 >= this.capacity) this.grow();
    const mask = this.capacity - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.used[slot] === 1 && (this.keys1[slot] !== h1 || this.keys2[slot] !== h2)) slot = (slot + 1) & mask;
    if (this.used[slot] === 0) {
      this.used[slot] = 1;
      this.keys1[slot] = h1;
      this.keys2[slot] = h2;
      this.kind[slot] = kind;
      this.slots[this.size++] = slot;
      if (isFilterKind(kind)) this.filterSize++;
    }
    if (this.lastRow[slot] !== row) {
      this.lastRow[slot] = row;
      if (++this.counts[slot] === this.minRows && kind !== KeyKind.Field) this.frequent.push(slot);
      if (this.adds === this.addSlots.length) this.growAdds();
      this.addSlots[this.adds] = slot;
      this.addRows[this.adds++] = row;
    } else if (kind === KeyKind.Word) this.addRepeat(slot, row);
  }

  private addRepeat(slot: number, row: number): void {
    if (this.repeats === this.repeatSlots.length) [this.repeatSlots, this.repeatRows] = [doubled(this.repeatSlots), doubled(this.repeatRows)];
    this.repeatSlots[this.repeats] = slot;
    this.repeatRows[this.repeats++] = row;
  }

  /** A bloom filter (BLOOM_BITS_PER_KEY bits per key) of the words, short prefixes and fields, as 32-bit words. */
  bloom(): Uint32Array {
    const words = Math.max(2, Math.ceil((this.filterSize * BLOOM_BITS_PER_KEY) / 32));
    const bits = new Uint32Array(words);
    const m = words * 32;
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i];
      if (!isFilterKind(this.kind[slot])) continue;
      // (h1 + k * h2) mod m, incrementally
      let bit = this.keys1[slot] % m;
      const step = this.keys2[slot] % m;
      for (let k = 0; k < BLOOM_HASHES; k++) {
        bits[bit >>> 5] |= 1 << (bit & 31);
        bit += step;
        if (bit >= m) bit -= m;
      }
    }
    return bits;
  }

  /**
   * Row bitmaps for the most frequent keys of each kind (found in at least the `minRows` given to reset), plus, for
   * each chosen word that occurs more than once in some row, those rows (under repeatHashes of the word).
   */
  postings(rows: number, limits: PostingLimits): Postings {
    const byKind: number[][] = [[], [], [], [], []];
    for (const slot of this.frequent) byKind[this.kind[slot]].push(slot);
    const pick = (kind: KeyKind, limit: number) => byKind[kind].sort((a, b) => this.counts[b] - this.counts[a]).slice(0, limit);
    const words = pick(KeyKind.Word, limits.words);
    const chosen = [...words, ...pick(KeyKind.Prefix, limits.prefixes), ...pick(KeyKind.LongPrefix, limits.longPrefixes), ...pick(KeyKind.Pair, limits.pairs)];
    // [h1, h2, slot, 1 for the repeats of that slot's word]
    const keys = chosen.map((slot) => [this.keys1[slot], this.keys2[slot], slot, 0]);
    const order = new Int32Array(this.capacity).fill(-1);
    for (const slot of words) order[slot] = -2;
    for (let i = 0; i < this.repeats; i++) {
      const slot = this.repeatSlots[i];
      if (order[slot] === -2) {
        order[slot] = -3;
        keys.push([...repeatHashes(this.keys1[slot], this.keys2[slot]), slot, 1]);
      }
    }
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const bytesPerBitmap = Math.ceil(rows / 8);
    const bitmaps = new Uint8Array(bytesPerBitmap * keys.length);
    const repeatOrder = new Int32Array(this.capacity).fill(-1);
    keys.forEach(([, , slot, repeat], index) => ((repeat ? repeatOrder : order)[slot] = index));
    for (let i = 0; i < this.adds; i++) {
      const index = order[this.addSlots[i]];
      if (index >= 0) {
        const row = this.addRows[i];
        bitmaps[index * bytesPerBitmap + (row >> 3)] |= 1 << (row & 7);
      }
    }
    for (let i = 0; i < this.repeats; i++) {
      const index = repeatOrder[this.repeatSlots[i]];
      if (index >= 0) {
        const row = this.repeatRows[i];
        bitmaps[index * bytesPerBitmap + (row >> 3)] |= 1 << (row & 7);
      }
    }
    return { h1: Uint32Array.from(keys, (key) => key[0]), h2: Uint32Array.from(keys, (key) => key[1]), bitmaps };
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
    for (let i = 0; i < this.repeats; i++) this.repeatSlots[i] = remap[this.repeatSlots[i]];
    this.frequent = this.frequent.map((slot) => remap[slot]);
  }

  private growAdds(): void {
    this.addSlots = doubled(this.addSlots);
    this.addRows = doubled(this.addRows);
  }
}

export interface PostingLimits {
  words: number;
  prefixes: number;
  longPrefixes: number;
  pairs: number;
}

/** The postings key of the rows where the word with key (h1, h2) occurs more than once. */
export function repeatHashes(h1: number, h2: number): [number, number] {
  return [Math.imul(h1 ^ 0x2545f491, 0x9e3779b1) >>> 0, (h2 ^ 0x4f6cdd1d) >>> 0];
}

function doubled(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(array.length * 2);
  out.set(array);
  return out;
}

export const BLOOM_BITS_PER_KEY = 10;
export const BLOOM_HASHES = 7;

/** Whether the bloom filter in `words[start, start + count)` may hold the key. */
export function bloomHas(words: Uint32Array, start: number, count: number, h1: number, h2: number): boolean {
  const m = count * 32;
  let bit = h1 % m;
  const step = h2 % m;
  for (let k = 0; k < BLOOM_HASHES; k++) {
    if ((words[start + (bit >>> 5)] & (1 << (bit & 31))) === 0) return false;
    bit += step;
    if (bit >= m) bit -= m;
  }
  return true;
}
