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
 * Open addressing on typed arrays, with each key's fields in one record: no per-token allocation in the ingest hot
 * loop, and scratch arrays reused from block to block.
 */
import { isTokenCode } from '../../../shared/logs/tokens.js';
import { RowGroupFilter } from './bloom-filter.js';
import {
  GROUP_MIN_LENGTH,
  HASH1_SEED,
  HASH2_SEED,
  LONG_PREFIX_LENGTH,
  PREFIX_LENGTH,
  PREFIX_SALT,
  groupRowsOf,
  hashStep1,
  hashStep2,
  pairH1,
  pairH2,
  repeatHashes,
} from './token-hash.js';

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

/** One load instead of isTokenCode's range tests; every code from 128 up is a token character. */
const ASCII_TOKEN = Uint8Array.from({ length: 128 }, (_, code) => (isTokenCode(code) ? 1 : 0));
const isToken = (code: number) => code >= 128 || ASCII_TOKEN[code] === 1;

const BIG_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 0;

/** Fields of a key's record: its hashes (int32: the same bits as the uint32 keys) and its distinct rows. */
const H1 = 0;
const H2 = 1;
const ROWS = 2;
const LAST_ROW = 3;
const KEY_STRIDE = 4;
/** A word's record adds its prefix key ids (-1: none) and its shape: length * 2 + 1 when it holds a digit. */
const PREFIX3 = 4;
const PREFIX4 = 5;
const PREFIX5 = 6;
const SHAPE = 7;
const WORD_STRIDE = 8;

/**
 * (h1, h2) → dense id in insertion order, with the number of distinct rows holding each key. A slot holds h1 beside
 * the id and a key's fields share one record, so that finding and counting a key reads two cache lines.
 */
class KeySet {
  size = 0;
  records: Int32Array;
  kind = new Uint8Array(1024);
  /** Per slot: h1, then id + 1 (0: empty). */
  private slots = new Int32Array(4096);

  constructor(readonly stride: number) {
    this.records = new Int32Array(1024 * stride);
  }

  clear(): void {
    if (this.size > 0) this.slots.fill(0);
    this.size = 0;
  }

  h1(id: number): number {
    return this.records[id * this.stride + H1] >>> 0;
  }

  h2(id: number): number {
    return this.records[id * this.stride + H2] >>> 0;
  }

  rows(id: number): number {
    return this.records[id * this.stride + ROWS];
  }

  /** The id of the key (h1, h2 as int32), added (with no rows yet) when new. */
  id(h1: number, h2: number, kind = 0): number {
    const found = this.find(h1, h2);
    return found >= 0 ? found : this.add(h1, h2, kind, -1 - found);
  }

  /** The id of the key, or -1 - the free slot for it. */
  find(h1: number, h2: number): number {
    const { slots, records, stride } = this;
    const mask = (slots.length >> 1) - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      const ref = slots[2 * slot + 1];
      if (ref === 0) return -1 - slot;
      if (slots[2 * slot] === h1 && records[(ref - 1) * stride + H2] === h2) return ref - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** Counts `row` for the key once; false when the row was already counted (the key repeats in it). */
  touch(id: number, row: number): boolean {
    const at = id * this.stride;
    if (this.records[at + LAST_ROW] === row) return false;
    this.records[at + LAST_ROW] = row;
    this.records[at + ROWS]++;
    return true;
  }

  /** Ids of `kind` in at least `minRows` rows, the most frequent first, at most `limit`. */
  frequent(kind: number, minRows: number, limit: number): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.size; id++) if (this.kind[id] === kind && this.rows(id) >= minRows) out.push(id);
    return out.sort((a, b) => this.rows(b) - this.rows(a) || a - b).slice(0, limit);
  }

  /** Adds the key at slot `free` (from find); its id. */
  add(h1: number, h2: number, kind: number, free: number): number {
    if (this.size === this.kind.length) this.growIds();
    let slot = free;
    if ((this.size + 1) * 4 > this.slots.length) {
      this.growSlots();
      slot = this.freeSlot(h1, h2);
    }
    const id = this.size++;
    this.slots[2 * slot] = h1;
    this.slots[2 * slot + 1] = id + 1;
    const at = id * this.stride;
    this.records[at + H1] = h1;
    this.records[at + H2] = h2;
    this.records[at + ROWS] = 0;
    this.records[at + LAST_ROW] = -1;
    this.kind[id] = kind;
    return id;
  }

  private freeSlot(h1: number, h2: number): number {
    const mask = (this.slots.length >> 1) - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  private growIds(): void {
    const records = new Int32Array(this.records.length * 2);
    records.set(this.records);
    this.records = records;
    const kind = new Uint8Array(this.kind.length * 2);
    kind.set(this.kind);
    this.kind = kind;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.size; id++) {
      const h1 = this.records[id * this.stride + H1];
      const slot = this.freeSlot(h1, this.records[id * this.stride + H2]);
      this.slots[2 * slot] = h1;
      this.slots[2 * slot + 1] = id + 1;
    }
  }
}

function grown<T extends Int32Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/** `array` when it holds `needed` elements, else a larger one (contents not kept: scratch space). */
function atLeast<T extends Int32Array | Uint8Array>(array: T, needed: number, make: (n: number) => T): T {
  return needed <= array.length ? array : make(Math.max(needed, array.length * 2));
}

/** Per word, in finish: the offsets of the bitmaps of the word and of its three prefixes. */
const TARGETS = 4;

export class TokenTable {
  private readonly words = new KeySet(WORD_STRIDE);
  /** Prefixes, fields and pairs. */
  private readonly keys = new KeySet(KEY_STRIDE);
  /** Every word occurrence in order: word id and row. */
  private occurrenceWord = new Int32Array(1 << 15);
  private occurrenceRow = new Int32Array(1 << 15);
  private occurrences = 0;
  /** Rows of a repeated word: word id and row, for the repeat bitmaps. */
  private repeatWord = new Int32Array(1024);
  private repeatRow = new Int32Array(1024);
  private repeats = 0;
  /** The text addText last read, as code units. */
  private text = '';
  private codeBytes = Buffer.alloc(0);
  private codes = new Uint16Array(0);
  /** Scratch space of finish, kept from block to block. */
  private pairOf = new Int32Array(1 << 15);
  private pairable = new Uint8Array(4096);
  private wordBitmap = new Int32Array(4096);
  private repeatBitmap = new Int32Array(4096);
  private keyBitmap = new Int32Array(4096);
  private keyOffset = new Int32Array(4096);
  private wordOffsets = new Int32Array(4096 * TARGETS);
  private bitmapArea = new Uint8Array(1 << 16);
  private lastGroup = new Int32Array(4096);
  private groupWord = new Int32Array(1 << 15);
  private groupOf = new Int32Array(1 << 15);

  reset(): void {
    this.words.clear();
    this.keys.clear();
    this.occurrences = 0;
    this.repeats = 0;
  }

  /** Adds the words of `lower[start, end)` (lowercased text) as row `row`. */
  addText(lower: string, start: number, end: number, row: number): void {
    const codes = lower === this.text ? this.codes : this.codesOf(lower);
    const words = this.words;
    let i = start;
    while (i < end) {
      let c = codes[i];
      if (!isToken(c)) {
        i++;
        continue;
      }
      const wordStart = i;
      let h1 = HASH1_SEED;
      let h2 = HASH2_SEED;
      do {
        h1 = hashStep1(h1, c);
        h2 = hashStep2(h2, c);
        if (++i === end) break;
        c = codes[i];
      } while (isToken(c));
      let word = words.find(h1, h2);
      if (word < 0) word = this.addWord(h1, h2, -1 - word, codes, wordStart, i);
      this.addOccurrence(word, row);
      i++;
    }
  }

  /**
   * `lower` as UTF-16 code units, converted once per text (addText is given a block's rows as one): charCodeAt
   * dispatches on the string's representation at every character.
   */
  private codesOf(lower: string): Uint16Array {
    if (lower.length > this.codes.length) {
      this.codeBytes = Buffer.alloc(Math.max(lower.length, this.codes.length * 2) * 2);
      this.codes = new Uint16Array(this.codeBytes.buffer, this.codeBytes.byteOffset, this.codeBytes.length / 2);
    }
    const bytes = this.codeBytes.write(lower, 0, 'utf16le');
    if (BIG_ENDIAN) this.codeBytes.subarray(0, bytes).swap16();
    this.text = lower;
    return this.codes;
  }

  addField(h1: number, h2: number, row: number): void {
    const id = this.keys.id(h1 | 0, h2 | 0, Kind.Field);
    this.keys.touch(id, row);
  }

  /**
   * Adds the word `codes[start, end)` at slot `free`, with its shape and prefix keys (the prefixes hashed in one walk
   * of their longest); its id. Kept out of addText, which is then small enough for V8 to inline addOccurrence into.
   */
  private addWord(h1: number, h2: number, free: number, codes: Uint16Array, start: number, end: number): number {
    const word = this.words.add(h1, h2, 0, free);
    const length = end - start;
    let digitAt = length;
    for (let i = 0; i < length; i++) {
      if (codes[start + i] <= 57) {
        digitAt = i;
        break;
      }
    }
    const keys = this.keys;
    let prefix3 = -1;
    let prefix4 = -1;
    let prefix5 = -1;
    // prefixes without digits only (token-hash.ts)
    const hashed = Math.min(length, digitAt, LONG_PREFIX_LENGTH);
    let p1 = HASH1_SEED ^ PREFIX_SALT;
    let p2 = HASH2_SEED ^ PREFIX_SALT;
    for (let n = 1; n <= hashed; n++) {
      const c = codes[start + n - 1];
      p1 = hashStep1(p1, c);
      p2 = hashStep2(p2, c);
      if (n === PREFIX_LENGTH) prefix3 = keys.id(p1, p2, Kind.Prefix);
      else if (n === PREFIX_LENGTH + 1) prefix4 = keys.id(p1, p2, Kind.LongPrefix);
      else if (n === LONG_PREFIX_LENGTH) prefix5 = keys.id(p1, p2, Kind.LongPrefix);
    }
    const records = this.words.records;
    const at = word * WORD_STRIDE;
    records[at + PREFIX3] = prefix3;
    records[at + PREFIX4] = prefix4;
    records[at + PREFIX5] = prefix5;
    records[at + SHAPE] = length * 2 + (digitAt < length ? 1 : 0);
    return word;
  }

  private addOccurrence(word: number, row: number): void {
    const n = this.occurrences;
    if (n === this.occurrenceWord.length) this.growOccurrences();
    this.occurrenceWord[n] = word;
    this.occurrenceRow[n] = row;
    this.occurrences = n + 1;
    if (!this.words.touch(word, row)) {
      this.addRepeat(word, row);
      return;
    }
    const keys = this.keys;
    const records = this.words.records;
    const at = word * WORD_STRIDE;
    const prefix3 = records[at + PREFIX3];
    if (prefix3 >= 0) {
      keys.touch(prefix3, row);
      const prefix4 = records[at + PREFIX4];
      if (prefix4 >= 0) {
        keys.touch(prefix4, row);
        const prefix5 = records[at + PREFIX5];
        if (prefix5 >= 0) keys.touch(prefix5, row);
      }
    }
  }

  private growOccurrences(): void {
    this.occurrenceWord = grown(this.occurrenceWord, this.occurrences + 1, (n) => new Int32Array(n));
    this.occurrenceRow = grown(this.occurrenceRow, this.occurrences + 1, (n) => new Int32Array(n));
  }

  private addRepeat(word: number, row: number): void {
    if (this.repeats === this.repeatWord.length) {
      this.repeatWord = grown(this.repeatWord, this.repeats + 1, (n) => new Int32Array(n));
      this.repeatRow = grown(this.repeatRow, this.repeats + 1, (n) => new Int32Array(n));
    }
    this.repeatWord[this.repeats] = word;
    this.repeatRow[this.repeats++] = row;
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
    const wordBitmap = (this.wordBitmap = atLeast(this.wordBitmap, words.size, (n) => new Int32Array(n)));
    const keyBitmap = (this.keyBitmap = atLeast(this.keyBitmap, keys.size, (n) => new Int32Array(n)));
    const repeatBitmap = (this.repeatBitmap = atLeast(this.repeatBitmap, words.size, (n) => new Int32Array(n)));
    wordBitmap.fill(-1, 0, words.size);
    keyBitmap.fill(-1, 0, keys.size);
    repeatBitmap.fill(-1, 0, words.size);
    const entryH1: number[] = [];
    const entryH2: number[] = [];
    const entryTable: Int32Array[] = [];
    const entryId: number[] = [];
    const entry = (h1: number, h2: number, table: Int32Array, id: number) => {
      entryH1.push(h1);
      entryH2.push(h2);
      entryTable.push(table);
      entryId.push(id);
    };
    const CHOSEN = -2;
    for (const id of chosenWords) {
      entry(words.h1(id), words.h2(id), wordBitmap, id);
      wordBitmap[id] = CHOSEN;
    }
    for (const id of chosenKeys) entry(keys.h1(id), keys.h2(id), keyBitmap, id);
    for (let i = 0; i < this.repeats; i++) {
      const word = this.repeatWord[i];
      if (wordBitmap[word] === CHOSEN && repeatBitmap[word] === -1) {
        repeatBitmap[word] = CHOSEN;
        const [h1, h2] = repeatHashes(words.h1(word), words.h2(word));
        entry(h1, h2, repeatBitmap, word);
      }
    }
    const order = Array.from(entryH1.keys()).sort((a, b) => entryH1[a] - entryH1[b] || entryH2[a] - entryH2[b] || a - b);
    const h1s = new Uint32Array(order.length);
    const h2s = new Uint32Array(order.length);
    order.forEach((from, index) => {
      h1s[index] = entryH1[from];
      h2s[index] = entryH2[from];
      entryTable[from][entryId[from]] = index;
    });
    const bytes = Math.ceil(rows / 8);
    const bitmaps = this.fillBitmaps(bytes, order.length, wordBitmap, keyBitmap, pairOf);
    for (let i = 0; i < this.repeats; i++) {
      const index = repeatBitmap[this.repeatWord[i]];
      const row = this.repeatRow[i];
      if (index >= 0) bitmaps[index * bytes + (row >> 3)] |= 1 << (row & 7);
    }
    return { bloomKeys: this.bloomKeys(), groups: this.groupFilter(rows, wordBitmap), postings: { h1: h1s, h2: h2s, bitmaps } };
  }

  /**
   * The bitmaps of `entries` keys, from the occurrences. Keys without a bitmap write to a spare one past the end, so
   * that each occurrence is five unconditional writes.
   */
  private fillBitmaps(bytes: number, entries: number, wordBitmap: Int32Array, keyBitmap: Int32Array, pairOf: Int32Array): Uint8Array {
    const { words, keys, occurrenceWord, occurrenceRow } = this;
    const spare = bytes * entries;
    const area = (this.bitmapArea = atLeast(this.bitmapArea, spare + bytes, (n) => new Uint8Array(n)));
    area.fill(0, 0, spare + bytes);
    // by key id + 1, so that -1 (no key) finds the spare
    const keyOffset = (this.keyOffset = atLeast(this.keyOffset, keys.size + 1, (n) => new Int32Array(n)));
    keyOffset[0] = spare;
    for (let id = 0; id < keys.size; id++) keyOffset[id + 1] = keyBitmap[id] >= 0 ? keyBitmap[id] * bytes : spare;
    const offsets = (this.wordOffsets = atLeast(this.wordOffsets, words.size * TARGETS, (n) => new Int32Array(n)));
    const records = words.records;
    for (let word = 0; word < words.size; word++) {
      const at = word * WORD_STRIDE;
      const base = word * TARGETS;
      offsets[base] = wordBitmap[word] >= 0 ? wordBitmap[word] * bytes : spare;
      offsets[base + 1] = keyOffset[records[at + PREFIX3] + 1];
      offsets[base + 2] = keyOffset[records[at + PREFIX4] + 1];
      offsets[base + 3] = keyOffset[records[at + PREFIX5] + 1];
    }
    for (let i = 0; i < this.occurrences; i++) {
      const row = occurrenceRow[i];
      const at = row >> 3;
      const bit = 1 << (row & 7);
      const base = occurrenceWord[i] * TARGETS;
      area[offsets[base] + at] |= bit;
      area[offsets[base + 1] + at] |= bit;
      area[offsets[base + 2] + at] |= bit;
      area[offsets[base + 3] + at] |= bit;
      area[keyOffset[pairOf[i] + 1] + at] |= bit;
    }
    return area.slice(0, spare);
  }

  /**
   * Pair keys of adjacent words without digits, both in at least `minRows` rows (no other pair can reach it); the
   * pair key id of each occurrence that ends such a pair, else -1.
   */
  private collectPairs(minRows: number): Int32Array {
    const { words, keys, occurrenceWord, occurrenceRow } = this;
    const records = words.records;
    const pairable = (this.pairable = atLeast(this.pairable, words.size, (n) => new Uint8Array(n)));
    for (let word = 0; word < words.size; word++) {
      const at = word * WORD_STRIDE;
      pairable[word] = (records[at + SHAPE] & 1) === 0 && records[at + ROWS] >= minRows ? 1 : 0;
    }
    const pairOf = (this.pairOf = atLeast(this.pairOf, this.occurrences, (n) => new Int32Array(n)));
    if (this.occurrences > 0) pairOf[0] = -1;
    for (let i = 1; i < this.occurrences; i++) {
      pairOf[i] = -1;
      const row = occurrenceRow[i];
      if (occurrenceRow[i - 1] !== row) continue;
      const first = occurrenceWord[i - 1];
      const second = occurrenceWord[i];
      if (pairable[first] === 0 || pairable[second] === 0) continue;
      const a = first * WORD_STRIDE;
      const b = second * WORD_STRIDE;
      const id = keys.id(pairH1(records[a + H1], records[b + H1]) | 0, pairH2(records[a + H2], records[b + H2]) | 0, Kind.Pair);
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
      out[at++] = words.records[id * WORD_STRIDE + H1];
      out[at++] = words.records[id * WORD_STRIDE + H2];
    }
    for (let id = 0; id < keys.size; id++) {
      if (!inBloom(id)) continue;
      out[at++] = keys.records[id * KEY_STRIDE + H1];
      out[at++] = keys.records[id * KEY_STRIDE + H2];
    }
    return out;
  }

  /** (word, row group) of every word of GROUP_MIN_LENGTH or more characters that has no bitmap. */
  private groupFilter(rows: number, wordBitmap: Int32Array): Uint32Array {
    const { words, occurrenceWord, occurrenceRow } = this;
    const records = words.records;
    const groupRows = groupRowsOf(rows);
    const lastGroup = (this.lastGroup = atLeast(this.lastGroup, words.size, (n) => new Int32Array(n)));
    lastGroup.fill(-1, 0, words.size);
    const groupWord = (this.groupWord = atLeast(this.groupWord, this.occurrences, (n) => new Int32Array(n)));
    const groupOf = (this.groupOf = atLeast(this.groupOf, this.occurrences, (n) => new Int32Array(n)));
    let entries = 0;
    let row = -1;
    let group = -1;
    for (let i = 0; i < this.occurrences; i++) {
      const word = occurrenceWord[i];
      if (wordBitmap[word] >= 0 || records[word * WORD_STRIDE + SHAPE] < GROUP_MIN_LENGTH * 2) continue;
      if (occurrenceRow[i] !== row) {
        row = occurrenceRow[i];
        group = Math.floor(row / groupRows);
      }
      if (lastGroup[word] === group) continue;
      lastGroup[word] = group;
      groupWord[entries] = word;
      groupOf[entries++] = group;
    }
    if (entries === 0) return new Uint32Array(0);
    const filter = RowGroupFilter.sized(entries);
    for (let i = 0; i < entries; i++) filter.add(words.h1(groupWord[i]), words.h2(groupWord[i]), groupOf[i]);
    return filter.words;
  }
}
