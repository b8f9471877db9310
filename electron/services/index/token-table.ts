/**
 * The keys of one block, gathered while sealing it, and the filters built from them:
 *   - the keys of its bloom filter (bloom-filter.ts): words, 3-character word prefixes and field=value pairs;
 *   - row bitmaps ("postings") of its most frequent words, prefixes (3 to 5 characters) and adjacent word pairs, plus
 *     the rows where a word with a bitmap occurs more than once (a phrase whose words each occur once in a row and
 *     whose adjacent pairs are all there is in that row);
 *   - a row-group filter: for each word of at least GROUP_MIN_LENGTH characters without a bitmap, the groups of rows
 *     (at most 32 per block) it occurs in, so that a rare word's rows are found without reading the whole block.
 * Each distinct word is hashed into the table once per occurrence and its prefixes once per block; pairs are only
 * collected between words frequent enough for a pair to be (a pair is in at most as many rows as either word).
 * Open addressing on typed arrays: no per-token allocation in the ingest hot loop.
 */
import { isTokenCode } from '../../../shared/logs/tokens.js';
import { RowGroupFilter } from './bloom-filter.js';
import { GROUP_MIN_LENGTH, LONG_PREFIX_LENGTH, PREFIX_LENGTH, PREFIX_SALT, groupRowsOf, hash1, hash2, pairH1, pairH2, repeatHashes } from './token-hash.js';

export interface Postings {
  /** Keys sorted by h1, then h2. */
  h1: Uint32Array;
  h2: Uint32Array;
  /** One bitmap of `rows` bits per key, in key order, concatenated. */
  bitmaps: Uint8Array;
}

export interface PostingLimits {
  words: number;
  prefixes: number;
  longPrefixes: number;
  pairs: number;
}

export interface BlockFilters {
  /** The keys for the block's bloom filter (the segment builds them into its BloomMatrix), flat: h1, h2… */
  bloomKeys: Uint32Array;
  groups: Uint32Array;
  postings: Postings;
}

const Kind = { Prefix: 0, LongPrefix: 1, Field: 2, Pair: 3 } as const;

/** (h1, h2) → dense id, with the number of distinct rows holding each key. */
class KeySet {
  size = 0;
  h1 = new Uint32Array(1024);
  h2 = new Uint32Array(1024);
  rows = new Uint32Array(1024);
  lastRow = new Int32Array(1024);
  kind = new Uint8Array(1024);
  private slots = new Int32Array(2048).fill(-1);

  clear(): void {
    if (this.size > 0) this.slots.fill(-1);
    this.size = 0;
  }

  /** The id of the key, added (with no rows yet) when new. */
  id(h1: number, h2: number, kind = 0): number {
    let mask = this.slots.length - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.h1[id] === h1 && this.h2[id] === h2) return id;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.h1.length) this.growIds();
    if (this.size * 2 >= this.slots.length) {
      this.growSlots();
      mask = this.slots.length - 1;
      slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    }
    const id = this.size++;
    this.slots[slot] = id;
    this.h1[id] = h1;
    this.h2[id] = h2;
    this.rows[id] = 0;
    this.lastRow[id] = -1;
    this.kind[id] = kind;
    return id;
  }

  /** Counts `row` for the key once; false when the row was already counted (the key repeats in it). */
  touch(id: number, row: number): boolean {
    if (this.lastRow[id] === row) return false;
    this.lastRow[id] = row;
    this.rows[id]++;
    return true;
  }

  /** Ids of `kind` in at least `minRows` rows, the most frequent first, at most `limit`. */
  frequent(kind: number, minRows: number, limit: number): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.size; id++) if (this.kind[id] === kind && this.rows[id] >= minRows) out.push(id);
    return out.sort((a, b) => this.rows[b] - this.rows[a] || a - b).slice(0, limit);
  }

  private growIds(): void {
    const grow = <T extends Uint32Array | Int32Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(array.length * 2);
      next.set(array);
      return next;
    };
    this.h1 = grow(this.h1, (n) => new Uint32Array(n));
    this.h2 = grow(this.h2, (n) => new Uint32Array(n));
    this.rows = grow(this.rows, (n) => new Uint32Array(n));
    this.lastRow = grow(this.lastRow, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = (this.h1[id] ^ Math.imul(this.h2[id], 0x9e3779b1)) & mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
      this.slots[slot] = id;
    }
  }
}

function grown<T extends Int32Array | Uint32Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export class TokenTable {
  private readonly words = new KeySet();
  /** Prefixes, fields and pairs. */
  private readonly keys = new KeySet();
  /** Per word id: prefix key ids (-1: none), length, whether it holds a digit. */
  private prefix3 = new Int32Array(1024);
  private prefix4 = new Int32Array(1024);
  private prefix5 = new Int32Array(1024);
  private wordLength = new Uint32Array(1024);
  private hasDigit = new Uint8Array(1024);
  /** Every word occurrence in order: word id and row. */
  private occurrenceWord = new Int32Array(1 << 15);
  private occurrenceRow = new Int32Array(1 << 15);
  private occurrences = 0;
  /** Rows of a repeated word: word id and row, for the repeat bitmaps. */
  private repeatWord = new Int32Array(1024);
  private repeatRow = new Int32Array(1024);
  private repeats = 0;

  reset(): void {
    this.words.clear();
    this.keys.clear();
    this.occurrences = 0;
    this.repeats = 0;
  }

  /** Adds the words of `lower[start, end)` (lowercased text) as row `row`. */
  addText(lower: string, start: number, end: number, row: number): void {
    let i = start;
    while (i < end) {
      while (i < end && !isTokenCode(lower.charCodeAt(i))) i++;
      if (i >= end) break;
      const wordStart = i;
      let h1 = 0x811c9dc5;
      let h2 = 0x27d4eb2f;
      for (; i < end; i++) {
        const c = lower.charCodeAt(i);
        if (!isTokenCode(c)) break;
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
      }
      const before = this.words.size;
      const word = this.words.id(h1 >>> 0, h2 >>> 0);
      if (word === before) this.describe(word, lower, wordStart, i);
      this.addOccurrence(word, row);
    }
  }

  addField(h1: number, h2: number, row: number): void {
    const id = this.keys.id(h1, h2, Kind.Field);
    this.keys.touch(id, row);
  }

  /** Notes a new word's length, digits and prefix keys. */
  private describe(word: number, lower: string, start: number, end: number): void {
    if (word === this.prefix3.length) {
      const size = word * 2;
      this.prefix3 = grown(this.prefix3, size, (n) => new Int32Array(n));
      this.prefix4 = grown(this.prefix4, size, (n) => new Int32Array(n));
      this.prefix5 = grown(this.prefix5, size, (n) => new Int32Array(n));
      this.wordLength = grown(this.wordLength, size, (n) => new Uint32Array(n));
      const digits = new Uint8Array(size);
      digits.set(this.hasDigit);
      this.hasDigit = digits;
    }
    const length = end - start;
    let digitAt = length;
    for (let i = 0; i < length; i++) {
      if (lower.charCodeAt(start + i) <= 57) {
        digitAt = i;
        break;
      }
    }
    this.wordLength[word] = length;
    this.hasDigit[word] = digitAt < length ? 1 : 0;
    const prefix = (n: number, kind: number) => this.keys.id(hash1(lower, start, start + n, PREFIX_SALT), hash2(lower, start, start + n, PREFIX_SALT), kind);
    this.prefix3[word] = length >= PREFIX_LENGTH && digitAt >= PREFIX_LENGTH ? prefix(PREFIX_LENGTH, Kind.Prefix) : -1;
    this.prefix4[word] = length >= PREFIX_LENGTH + 1 && digitAt >= PREFIX_LENGTH + 1 ? prefix(PREFIX_LENGTH + 1, Kind.LongPrefix) : -1;
    this.prefix5[word] = length >= LONG_PREFIX_LENGTH && digitAt >= LONG_PREFIX_LENGTH ? prefix(LONG_PREFIX_LENGTH, Kind.LongPrefix) : -1;
  }

  private addOccurrence(word: number, row: number): void {
    if (this.occurrences === this.occurrenceWord.length) {
      this.occurrenceWord = grown(this.occurrenceWord, this.occurrences + 1, (n) => new Int32Array(n));
      this.occurrenceRow = grown(this.occurrenceRow, this.occurrences + 1, (n) => new Int32Array(n));
    }
    this.occurrenceWord[this.occurrences] = word;
    this.occurrenceRow[this.occurrences++] = row;
    if (!this.words.touch(word, row)) {
      if (this.repeats === this.repeatWord.length) {
        this.repeatWord = grown(this.repeatWord, this.repeats + 1, (n) => new Int32Array(n));
        this.repeatRow = grown(this.repeatRow, this.repeats + 1, (n) => new Int32Array(n));
      }
      this.repeatWord[this.repeats] = word;
      this.repeatRow[this.repeats++] = row;
      return;
    }
    const keys = this.keys;
    const p3 = this.prefix3[word];
    if (p3 >= 0) {
      keys.touch(p3, row);
      const p4 = this.prefix4[word];
      if (p4 >= 0) {
        keys.touch(p4, row);
        const p5 = this.prefix5[word];
        if (p5 >= 0) keys.touch(p5, row);
      }
    }
  }

  /**
   * The block's filters. Keys found in at least `minRows` rows get bitmaps, the most frequent of each kind up to
   * `limits`; a chosen word that occurs more than once in some row also gets the bitmap of those rows.
   */
  finish(rows: number, minRows: number, limits: PostingLimits): BlockFilters {
    const { words, keys } = this;
    const pairOf = this.collectPairs(minRows);
    const chosenWords = words.frequent(0, minRows, limits.words);
    const chosenKeys = [...keys.frequent(Kind.Prefix, minRows, limits.prefixes), ...keys.frequent(Kind.LongPrefix, minRows, limits.longPrefixes), ...keys.frequent(Kind.Pair, minRows, limits.pairs)];
    // bitmap index per word id / key id (-1: none), and per word id for its repeat rows
    const wordBitmap = new Int32Array(words.size).fill(-1);
    const keyBitmap = new Int32Array(keys.size).fill(-1);
    const repeatBitmap = new Int32Array(words.size).fill(-1);
    const entries: Array<[number, number, Int32Array, number]> = [];
    const CHOSEN = -2;
    const REPEATS_TOO = -3;
    for (const id of chosenWords) {
      entries.push([words.h1[id], words.h2[id], wordBitmap, id]);
      wordBitmap[id] = CHOSEN;
    }
    for (const id of chosenKeys) entries.push([keys.h1[id], keys.h2[id], keyBitmap, id]);
    for (let i = 0; i < this.repeats; i++) {
      const word = this.repeatWord[i];
      if (wordBitmap[word] === CHOSEN) {
        wordBitmap[word] = REPEATS_TOO;
        entries.push([...repeatHashes(words.h1[word], words.h2[word]), repeatBitmap, word]);
      }
    }
    entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    entries.forEach(([, , table, id], index) => (table[id] = index));
    const bytes = Math.ceil(rows / 8);
    const bitmaps = new Uint8Array(bytes * entries.length);
    const { prefix3, prefix4, prefix5, occurrenceWord, occurrenceRow } = this;
    for (let i = 0; i < this.occurrences; i++) {
      const word = occurrenceWord[i];
      const row = occurrenceRow[i];
      const at = row >> 3;
      const bit = 1 << (row & 7);
      let index = wordBitmap[word];
      if (index >= 0) bitmaps[index * bytes + at] |= bit;
      if (prefix3[word] >= 0) {
        if ((index = keyBitmap[prefix3[word]]) >= 0) bitmaps[index * bytes + at] |= bit;
        if (prefix4[word] >= 0 && (index = keyBitmap[prefix4[word]]) >= 0) bitmaps[index * bytes + at] |= bit;
        if (prefix5[word] >= 0 && (index = keyBitmap[prefix5[word]]) >= 0) bitmaps[index * bytes + at] |= bit;
      }
      if (pairOf[i] >= 0 && (index = keyBitmap[pairOf[i]]) >= 0) bitmaps[index * bytes + at] |= bit;
    }
    for (let i = 0; i < this.repeats; i++) {
      const index = repeatBitmap[this.repeatWord[i]];
      const row = this.repeatRow[i];
      if (index >= 0) bitmaps[index * bytes + (row >> 3)] |= 1 << (row & 7);
    }
    return {
      bloomKeys: this.bloomKeys(),
      groups: this.groupFilter(rows, wordBitmap),
      postings: { h1: Uint32Array.from(entries, (entry) => entry[0]), h2: Uint32Array.from(entries, (entry) => entry[1]), bitmaps },
    };
  }

  /**
   * Pair keys of adjacent words without digits, both in at least `minRows` rows (no other pair can reach it); the
   * pair key id of each occurrence that ends such a pair, else -1.
   */
  private collectPairs(minRows: number): Int32Array {
    const { words, keys } = this;
    const pairOf = new Int32Array(this.occurrences).fill(-1);
    const pairable = (word: number) => this.hasDigit[word] === 0 && words.rows[word] >= minRows;
    for (let i = 1; i < this.occurrences; i++) {
      const row = this.occurrenceRow[i];
      if (this.occurrenceRow[i - 1] !== row) continue;
      const first = this.occurrenceWord[i - 1];
      const second = this.occurrenceWord[i];
      if (!pairable(first) || !pairable(second)) continue;
      const id = keys.id(pairH1(words.h1[first], words.h1[second]), pairH2(words.h2[first], words.h2[second]), Kind.Pair);
      keys.touch(id, row);
      pairOf[i] = id;
    }
    return pairOf;
  }

  private bloomKeys(): Uint32Array {
    const { words, keys } = this;
    const inBloom = (id: number) => keys.kind[id] === Kind.Prefix || keys.kind[id] === Kind.Field;
    let count = words.size;
    for (let id = 0; id < keys.size; id++) if (inBloom(id)) count++;
    const out = new Uint32Array(count * 2);
    let at = 0;
    for (let id = 0; id < words.size; id++) {
      out[at++] = words.h1[id];
      out[at++] = words.h2[id];
    }
    for (let id = 0; id < keys.size; id++) {
      if (!inBloom(id)) continue;
      out[at++] = keys.h1[id];
      out[at++] = keys.h2[id];
    }
    return out;
  }

  /** (word, row group) of every word of GROUP_MIN_LENGTH or more characters that has no bitmap. */
  private groupFilter(rows: number, wordBitmap: Int32Array): Uint32Array {
    const groupRows = groupRowsOf(rows);
    const lastGroup = new Int32Array(this.words.size).fill(-1);
    const entryWord = new Int32Array(this.occurrences);
    const entryGroup = new Int32Array(this.occurrences);
    let entries = 0;
    for (let i = 0; i < this.occurrences; i++) {
      const word = this.occurrenceWord[i];
      if (wordBitmap[word] >= 0 || this.wordLength[word] < GROUP_MIN_LENGTH) continue;
      const group = Math.floor(this.occurrenceRow[i] / groupRows);
      if (lastGroup[word] === group) continue;
      lastGroup[word] = group;
      entryWord[entries] = word;
      entryGroup[entries++] = group;
    }
    if (entries === 0) return new Uint32Array(0);
    const filter = RowGroupFilter.sized(entries);
    for (let i = 0; i < entries; i++) filter.add(this.words.h1[entryWord[i]], this.words.h2[entryWord[i]], entryGroup[i]);
    return filter.words;
  }
}
