/**
 * The key gathering of one block, in WebAssembly (AssemblyScript, built by `npm run build:wasm`); token-table.ts
 * wraps it and documents the filters it builds. Sealing spends most of its time here: per word occurrence, two
 * hashes per character, a table lookup and a few counters, then a bitmap bit per key. Compiled, that costs about 40 %
 * of what V8's optimised JavaScript did.
 *
 * Memory is managed by hand, in areas (area.ts) reused from block to block, so the total stays within twice the
 * largest block's needs. No object is allocated per block.
 *
 * The hashes and the row-group filter's layout must stay those of token-hash.ts and bloom-filter.ts, which the
 * query side uses; the index's property test (results equal a naive scan) fails on any difference.
 */

import { Area } from './area';

// ------------------------------------------------------------------ hashes (token-hash.ts)

const HASH1_SEED: i32 = 0x811c9dc5;
const HASH2_SEED: i32 = 0x27d4eb2f;
const PREFIX_SALT: i32 = 0x9e3779b9;
const PAIR_SALT: i32 = 0xc2b2ae35;
const PREFIX_LENGTH = 3;
const LONG_PREFIX_LENGTH = 5;
const GROUP_MIN_LENGTH = 4;
const MAX_GROUPS = 32;

@inline function step1(h: i32, c: i32): i32 {
  return (h ^ c) * 0x01000193;
}
@inline function step2(h: i32, c: i32): i32 {
  return ((h + c) * 0x5bd1e995) ^ <i32>(<u32>h >> 15);
}
@inline function pairH1(a: i32, b: i32): i32 {
  return (a ^ PAIR_SALT) * 0x85ebca6b + b;
}
@inline function pairH2(a: i32, b: i32): i32 {
  return (a * 0x27d4eb2f) ^ ((b ^ PAIR_SALT) * 0x165667b1);
}
@inline function repeatH1(h1: i32): i32 {
  return (h1 ^ 0x2545f491) * 0x9e3779b1;
}
@inline function repeatH2(h2: i32): i32 {
  return h2 ^ 0x4f6cdd1d;
}

/**
 * Per byte of ASCII text: the code it is hashed as, lowercased, or 0 when it is no token character (token characters:
 * shared/logs/tokens.ts, ASCII letters and digits and every code from 128 up).
 */
const ASCII_TOKEN_CODE = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 0, 0, 0, 0, 0, 0,
  0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
  0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
]);

// ------------------------------------------------------------------ key sets

/** A key's record: its hashes, its distinct rows and the last row counted. Only its layout is used (offsetof). */
@unmanaged
class KeyRecord {
  h1: i32;
  h2: i32;
  rows: i32;
  lastRow: i32;
}
/** A word's record adds its prefix key ids (-1: none) and its shape: length * 2 + 1 when it holds a digit. */
@unmanaged
class WordRecord extends KeyRecord {
  prefix3: i32;
  prefix4: i32;
  prefix5: i32;
  shape: i32;
}
/** Fields of a record, in i32s from its start. */
const H1 = <i32>offsetof<KeyRecord>('h1') >> 2;
const H2 = <i32>offsetof<KeyRecord>('h2') >> 2;
const ROWS = <i32>offsetof<KeyRecord>('rows') >> 2;
const LAST_ROW = <i32>offsetof<KeyRecord>('lastRow') >> 2;
const PREFIX3 = <i32>offsetof<WordRecord>('prefix3') >> 2;
const PREFIX4 = <i32>offsetof<WordRecord>('prefix4') >> 2;
const PREFIX5 = <i32>offsetof<WordRecord>('prefix5') >> 2;
const SHAPE = <i32>offsetof<WordRecord>('shape') >> 2;

/** Words have a key set of their own, all of one kind. */
const KIND_WORD: u8 = 0;
const KIND_PREFIX: u8 = 0;
const KIND_LONG_PREFIX: u8 = 1;
const KIND_FIELD: u8 = 2;
const KIND_PAIR: u8 = 3;

/**
 * (h1, h2) → dense id in insertion order, with each key's record. Open addressing: a slot holds h1 beside id + 1
 * (0: empty), so finding a key reads two cache lines.
 */
@unmanaged
class KeySet<Record> {
  size: i32 = 0;
  capacity: i32 = 0;
  slotCount: i32 = 0;
  records: Area = new Area();
  kinds: Area = new Area();
  slots: Area = new Area();

  /** i32s per record. */
  @inline get stride(): i32 {
    return <i32>offsetof<Record>() >> 2;
  }

  constructor() {
    this.capacity = 1024;
    this.records.fit(1024 * this.stride * 4);
    this.kinds.fit(1024);
    this.slotCount = 2048;
    memory.fill(this.slots.fit(2048 * 8), 0, 2048 * 8);
  }

  @inline at(id: i32, field: i32): usize {
    return this.records.ptr + (<usize>(id * this.stride + field) << 2);
  }

  @inline get(id: i32, field: i32): i32 {
    return load<i32>(this.at(id, field));
  }

  @inline kind(id: i32): u8 {
    return load<u8>(this.kinds.ptr + <usize>id);
  }

  clear(): void {
    if (this.size > 0) memory.fill(this.slots.ptr, 0, <usize>this.slotCount * 8);
    this.size = 0;
  }

  /** The id of the key, or -1 - the free slot for it. */
  @inline find(h1: i32, h2: i32): i32 {
    const slots = this.slots.ptr;
    const records = this.records.ptr + (H2 << 2);
    const stride = this.stride;
    const mask = this.slotCount - 1;
    let slot = (h1 ^ (h2 * 0x9e3779b1)) & mask;
    let ref = load<i32>(slots + (<usize>slot << 3), 4);
    while (ref != 0) {
      if (load<i32>(slots + (<usize>slot << 3)) == h1 && load<i32>(records + (<usize>((ref - 1) * stride) << 2)) == h2) return ref - 1;
      slot = (slot + 1) & mask;
      ref = load<i32>(slots + (<usize>slot << 3), 4);
    }
    return -1 - slot;
  }

  /** The id of the key, added (with no rows yet) when new. */
  id(h1: i32, h2: i32, kind: u8): i32 {
    const found = this.find(h1, h2);
    return found >= 0 ? found : this.add(h1, h2, kind, -1 - found);
  }

  /** Adds the key at slot `free` (from find); its id. */
  add(h1: i32, h2: i32, kind: u8, free: i32): i32 {
    if (this.size == this.capacity) {
      this.capacity *= 2;
      this.records.fit(this.capacity * this.stride * 4, this.size * this.stride * 4);
      this.kinds.fit(this.capacity, this.size);
    }
    let slot = free;
    if ((this.size + 1) * 2 > this.slotCount) {
      this.growSlots();
      slot = this.freeSlot(h1, h2);
    }
    const id = this.size++;
    const at = this.slots.ptr + (<usize>slot << 3);
    store<i32>(at, h1);
    store<i32>(at, id + 1, 4);
    store<i32>(this.at(id, H1), h1);
    store<i32>(this.at(id, H2), h2);
    store<i32>(this.at(id, ROWS), 0);
    store<i32>(this.at(id, LAST_ROW), -1);
    store<u8>(this.kinds.ptr + <usize>id, kind);
    return id;
  }

  /** Counts `row` for the key once; false when the row was already counted (the key repeats in it). */
  @inline touch(id: i32, row: i32): bool {
    const at = this.at(id, 0);
    if (load<i32>(at, LAST_ROW << 2) == row) return false;
    store<i32>(at, row, LAST_ROW << 2);
    store<i32>(at, load<i32>(at, ROWS << 2) + 1, ROWS << 2);
    return true;
  }

  /**
   * Writes to `out` the ids of `kind` in at least `minRows` rows, the most frequent first (equal counts: the older
   * first), at most `limit`; their number.
   */
  frequent(kind: u8, minRows: i32, limit: i32, out: usize): i32 {
    let n = 0;
    for (let id = 0; id < this.size; id++) {
      if (this.kind(id) != kind) continue;
      const rows = this.get(id, ROWS);
      if (rows < minRows || limit == 0) continue;
      if (n == limit && this.get(load<i32>(out + (<usize>(n - 1) << 2)), ROWS) >= rows) continue;
      let j = n < limit ? n : limit - 1;
      while (j > 0) {
        const before = load<i32>(out + (<usize>(j - 1) << 2));
        if (this.get(before, ROWS) >= rows) break;
        store<i32>(out + (<usize>j << 2), before);
        j--;
      }
      store<i32>(out + (<usize>j << 2), id);
      if (n < limit) n++;
    }
    return n;
  }

  private freeSlot(h1: i32, h2: i32): i32 {
    const mask = this.slotCount - 1;
    let slot = (h1 ^ (h2 * 0x9e3779b1)) & mask;
    while (load<i32>(this.slots.ptr + (<usize>slot << 3), 4) != 0) slot = (slot + 1) & mask;
    return slot;
  }

  private growSlots(): void {
    this.slotCount *= 2;
    memory.fill(this.slots.fit(this.slotCount * 8), 0, <usize>this.slotCount * 8);
    for (let id = 0; id < this.size; id++) {
      const h1 = this.get(id, H1);
      const at = this.slots.ptr + (<usize>this.freeSlot(h1, this.get(id, H2)) << 3);
      store<i32>(at, h1);
      store<i32>(at, id + 1, 4);
    }
  }
}

// ------------------------------------------------------------------ the block's state

const words = new KeySet<WordRecord>();
/** Prefixes, fields and pairs. */
const keys = new KeySet<KeyRecord>();
/** The text token-table.ts writes (ASCII bytes, or lowercased UTF-16 code units) and each row's length in it. */
const text = new Area();
const lengths = new Area();
/** Every word occurrence in order: word id and row. */
const occurrenceWord = new Area();
const occurrenceRow = new Area();
let occurrences = 0;
/** Rows where a word repeats: word id and row. */
const repeatWord = new Area();
const repeatRow = new Area();
let repeats = 0;
/** Per word: the row groups (MAX_GROUPS per block) it occurs in. */
const groupMasks = new Area();
/** Scratch space and results of finish. */
const pairOf = new Area();
/** Per word in collectPairs: the word that followed it in its last pair, and that pair's key id. */
const lastSecond = new Area();
const lastPair = new Area();
const chosen = new Area();
const wordBitmap = new Area();
const keyBitmap = new Area();
const repeatBitmap = new Area();
const entryH1 = new Area();
const entryH2 = new Area();
const entryTarget = new Area();
const order = new Area();
const orderScratch = new Area();
const postingH1 = new Area();
const postingH2 = new Area();
const keyOffset = new Area();
const wordOffsets = new Area();
const bitmaps = new Area();
const bloomKeys = new Area();
const groupWords = new Area();
let postings = 0;
let bitmapBytes = 0;
let bloomKeyCount = 0;
let groupWordCount = 0;

/** Where to write `units` code units of `width` bytes of text; then `rowLengths`, then addRows. */
export function textArea(units: i32, width: i32): usize {
  return text.fit(units * width);
}

export function rowLengths(rows: i32): usize {
  return lengths.fit(rows * 4);
}

export function reset(): void {
  words.clear();
  keys.clear();
  occurrences = 0;
  repeats = 0;
}

/** Adds the block's rows from the text area: ASCII bytes (lowercased here). */
export function addRows8(rows: i32): void {
  addRows<u8>(rows);
}

/** Adds the block's rows from the text area: lowercased UTF-16 code units. */
export function addRows16(rows: i32): void {
  addRows<u16>(rows);
}

export function addField(h1: i32, h2: i32, row: i32): void {
  keys.touch(keys.id(h1, h2, KIND_FIELD), row);
}

/**
 * The code text[i] is hashed as (`from`: text.ptr), or 0 when it is no token character. ASCII text arrives as it is
 * (lowered here), UTF-16 text lowercased.
 */
@inline function tokenCode<T>(from: usize, i: i32): i32 {
  const c = <i32>load<T>(from + (<usize>i << alignof<T>()));
  if (c >= 128) return c;
  return <i32>load<u8>(ASCII_TOKEN_CODE + <usize>c);
}

function addRows<T>(rows: i32): void {
  const groupRows = max(1, (rows + MAX_GROUPS - 1) / MAX_GROUPS);
  let start = 0;
  for (let row = 0; row < rows; row++) {
    const end = start + lengths.i32(row);
    addText<T>(start, end, row, 1 << (row / groupRows));
    start = end;
  }
}

@inline function addText<T>(start: i32, end: i32, row: i32, group: i32): void {
  const from = text.ptr;
  let i = start;
  while (i < end) {
    let c = tokenCode<T>(from, i);
    if (c == 0) {
      i++;
      continue;
    }
    const wordStart = i;
    let h1 = HASH1_SEED;
    let h2 = HASH2_SEED;
    do {
      h1 = step1(h1, c);
      h2 = step2(h2, c);
      if (++i == end) break;
      c = tokenCode<T>(from, i);
    } while (c != 0);
    let word = words.find(h1, h2);
    if (word < 0) word = addWord<T>(h1, h2, -1 - word, wordStart, i);
    addOccurrence(word, row, group);
    i++;
  }
}

/** Adds the word `text[start, end)` at slot `free`, with its shape and prefix keys; its id. */
function addWord<T>(h1: i32, h2: i32, free: i32, start: i32, end: i32): i32 {
  const word = words.add(h1, h2, KIND_WORD, free);
  const length = end - start;
  let digitAt = length;
  for (let i = 0; i < length; i++) {
    if (tokenCode<T>(text.ptr, start + i) <= 57) {
      digitAt = i;
      break;
    }
  }
  let prefix3 = -1;
  let prefix4 = -1;
  let prefix5 = -1;
  // prefixes without digits only (token-hash.ts)
  const hashed = min(min(length, digitAt), LONG_PREFIX_LENGTH);
  let p1 = HASH1_SEED ^ PREFIX_SALT;
  let p2 = HASH2_SEED ^ PREFIX_SALT;
  for (let n = 1; n <= hashed; n++) {
    const c = tokenCode<T>(text.ptr, start + n - 1);
    p1 = step1(p1, c);
    p2 = step2(p2, c);
    if (n == PREFIX_LENGTH) prefix3 = keys.id(p1, p2, KIND_PREFIX);
    else if (n == PREFIX_LENGTH + 1) prefix4 = keys.id(p1, p2, KIND_LONG_PREFIX);
    else if (n == LONG_PREFIX_LENGTH) prefix5 = keys.id(p1, p2, KIND_LONG_PREFIX);
  }
  store<i32>(words.at(word, PREFIX3), prefix3);
  store<i32>(words.at(word, PREFIX4), prefix4);
  store<i32>(words.at(word, PREFIX5), prefix5);
  store<i32>(words.at(word, SHAPE), length * 2 + (digitAt < length ? 1 : 0));
  store<i32>(groupMasks.fit((word + 1) * 4, word * 4) + (<usize>word << 2), 0);
  return word;
}

/** Counts the word's occurrence in `row`, which lies in the row groups of mask `group`. */
@inline function addOccurrence(word: i32, row: i32, group: i32): void {
  const n = occurrences;
  if (n * 4 == occurrenceWord.bytes) {
    occurrenceWord.fit(n * 8 + 4096, n * 4);
    occurrenceRow.fit(n * 8 + 4096, n * 4);
  }
  occurrenceWord.setI32(n, word);
  occurrenceRow.setI32(n, row);
  occurrences = n + 1;
  if (!words.touch(word, row)) {
    addRepeat(word, row);
    return;
  }
  const mask = groupMasks.ptr + (<usize>word << 2);
  store<i32>(mask, load<i32>(mask) | group);
  const prefix3 = words.get(word, PREFIX3);
  if (prefix3 >= 0) {
    keys.touch(prefix3, row);
    const prefix4 = words.get(word, PREFIX4);
    if (prefix4 >= 0) {
      keys.touch(prefix4, row);
      const prefix5 = words.get(word, PREFIX5);
      if (prefix5 >= 0) keys.touch(prefix5, row);
    }
  }
}

function addRepeat(word: i32, row: i32): void {
  if (repeats * 4 == repeatWord.bytes) {
    repeatWord.fit(repeats * 8 + 1024, repeats * 4);
    repeatRow.fit(repeats * 8 + 1024, repeats * 4);
  }
  repeatWord.setI32(repeats, word);
  repeatRow.setI32(repeats++, row);
}

// ------------------------------------------------------------------ finish

const CHOSEN = -2;
/** Bitmap owners of an entry: a word, a key, or a word's repeat rows. */
const TARGET_WORD = 0;
const TARGET_KEY = 1;
const TARGET_REPEAT = 2;
/** Per word, in fillBitmaps: the offsets of the bitmaps of the word and of its three prefixes. */
const TARGETS = 4;

/**
 * Builds the block's filters (token-table.ts says which); read them with the accessors below. Keys in at least
 * `minRows` rows get bitmaps, the most frequent of each kind up to its limit.
 */
export function finish(rows: i32, minRows: i32, wordLimit: i32, prefixLimit: i32, longPrefixLimit: i32, pairLimit: i32): void {
  collectPairs(minRows);
  fillAll(wordBitmap, words.size, -1);
  fillAll(keyBitmap, keys.size, -1);
  fillAll(repeatBitmap, words.size, -1);
  postings = 0;
  const out = chosen.fit(max(max(wordLimit, prefixLimit + longPrefixLimit + pairLimit), 1) * 4);
  const chosenWords = words.frequent(KIND_WORD, minRows, wordLimit, out);
  for (let i = 0; i < chosenWords; i++) {
    const id = load<i32>(out + (<usize>i << 2));
    addEntry(words.get(id, H1), words.get(id, H2), TARGET_WORD, id);
    wordBitmap.setI32(id, CHOSEN);
  }
  let chosenKeys = keys.frequent(KIND_PREFIX, minRows, prefixLimit, out);
  chosenKeys += keys.frequent(KIND_LONG_PREFIX, minRows, longPrefixLimit, out + (<usize>chosenKeys << 2));
  chosenKeys += keys.frequent(KIND_PAIR, minRows, pairLimit, out + (<usize>chosenKeys << 2));
  for (let i = 0; i < chosenKeys; i++) {
    const id = load<i32>(out + (<usize>i << 2));
    addEntry(keys.get(id, H1), keys.get(id, H2), TARGET_KEY, id);
  }
  for (let i = 0; i < repeats; i++) {
    const word = repeatWord.i32(i);
    if (wordBitmap.i32(word) == CHOSEN && repeatBitmap.i32(word) == -1) {
      repeatBitmap.setI32(word, CHOSEN);
      addEntry(repeatH1(words.get(word, H1)), repeatH2(words.get(word, H2)), TARGET_REPEAT, word);
    }
  }
  sortEntries();
  const bytes = (rows + 7) >> 3;
  fillBitmaps(bytes);
  for (let i = 0; i < repeats; i++) {
    const index = repeatBitmap.i32(repeatWord.i32(i));
    const row = repeatRow.i32(i);
    if (index >= 0) setBit(bitmaps.ptr + <usize>(index * bytes), row);
  }
  fillBloomKeys();
  fillGroupFilter();
}

export function postingCount(): i32 {
  return postings;
}
export function postingH1s(): usize {
  return postingH1.ptr;
}
export function postingH2s(): usize {
  return postingH2.ptr;
}
export function bitmapArea(): usize {
  return bitmaps.ptr;
}
export function bitmapLength(): i32 {
  return bitmapBytes;
}
export function bloomKeyArea(): usize {
  return bloomKeys.ptr;
}
export function bloomKeyLength(): i32 {
  return bloomKeyCount;
}
export function groupFilterArea(): usize {
  return groupWords.ptr;
}
export function groupFilterLength(): i32 {
  return groupWordCount;
}

function fillAll(area: Area, count: i32, value: i32): void {
  area.fit(max(count, 1) * 4);
  for (let i = 0; i < count; i++) area.setI32(i, value);
}

@inline function setBit(bitmap: usize, row: i32): void {
  const at = bitmap + <usize>(row >> 3);
  store<u8>(at, <u8>(<i32>load<u8>(at) | (<i32>1 << (row & 7))));
}

function addEntry(h1: i32, h2: i32, target: i32, id: i32): void {
  const n = postings++;
  entryH1.fit(postings * 4, n * 4);
  entryH2.fit(postings * 4, n * 4);
  entryTarget.fit(postings * 8, n * 8);
  entryH1.setI32(n, h1);
  entryH2.setI32(n, h2);
  entryTarget.setI32(2 * n, target);
  entryTarget.setI32(2 * n + 1, id);
}

/** Entry a sorts before entry b: by h1, then h2 (unsigned), then as added. */
@inline function before(a: i32, b: i32): bool {
  const a1 = <u32>entryH1.i32(a);
  const b1 = <u32>entryH1.i32(b);
  if (a1 != b1) return a1 < b1;
  const a2 = <u32>entryH2.i32(a);
  const b2 = <u32>entryH2.i32(b);
  return a2 != b2 ? a2 < b2 : a < b;
}

/** The postings' keys in order, and each entry's bitmap index written to its owner's table. */
function sortEntries(): void {
  const n = postings;
  let from = order.fit(max(n, 1) * 4);
  let to = orderScratch.fit(max(n, 1) * 4);
  for (let i = 0; i < n; i++) store<i32>(from + (<usize>i << 2), i);
  // bottom-up merge sort: `before` is a total order, so this is the order an insertion sort gave
  for (let width = 1; width < n; width <<= 1) {
    for (let low = 0; low < n; low += 2 * width) {
      const middle = min(low + width, n);
      const high = min(low + 2 * width, n);
      let a = low;
      let b = middle;
      for (let k = low; k < high; k++) {
        const takeB = a == middle || (b < high && before(load<i32>(from + (<usize>b << 2)), load<i32>(from + (<usize>a << 2))));
        store<i32>(to + (<usize>k << 2), load<i32>(from + (<usize>(takeB ? b++ : a++) << 2)));
      }
    }
    const sorted = to;
    to = from;
    from = sorted;
  }
  postingH1.fit(max(n, 1) * 4);
  postingH2.fit(max(n, 1) * 4);
  for (let index = 0; index < n; index++) {
    const entry = load<i32>(from + (<usize>index << 2));
    postingH1.setI32(index, entryH1.i32(entry));
    postingH2.setI32(index, entryH2.i32(entry));
    const target = entryTarget.i32(2 * entry);
    const table = target == TARGET_WORD ? wordBitmap : target == TARGET_KEY ? keyBitmap : repeatBitmap;
    table.setI32(entryTarget.i32(2 * entry + 1), index);
  }
}

/**
 * Pair keys of adjacent words without digits, both in at least `minRows` rows (no other pair can reach it); the
 * pair key id of each occurrence that ends such a pair, else -1. Log lines repeat their templates, so a word is most
 * often followed by the word that followed it last time: that pair's id is kept per word, and found without a lookup.
 */
function collectPairs(minRows: i32): void {
  const n = occurrences;
  const pairs = pairOf.fit(max(n, 1) * 4);
  fillAll(lastSecond, words.size, -1);
  const seconds = lastSecond.ptr;
  const secondPairs = lastPair.fit(max(words.size, 1) * 4);
  const rowOf = occurrenceRow.ptr;
  const wordOf = occurrenceWord.ptr;
  if (n > 0) store<i32>(pairs, -1);
  for (let i = 1; i < n; i++) {
    const at = <usize>i << 2;
    store<i32>(pairs + at, -1);
    const row = load<i32>(rowOf + at);
    if (load<i32>(rowOf + at - 4) != row) continue;
    const first = load<i32>(wordOf + at - 4);
    const second = load<i32>(wordOf + at);
    const firstAt = <usize>first << 2;
    let id: i32;
    if (load<i32>(seconds + firstAt) == second) id = load<i32>(secondPairs + firstAt);
    else {
      if (!pairable(first, minRows) || !pairable(second, minRows)) continue;
      id = keys.id(pairH1(words.get(first, H1), words.get(second, H1)), pairH2(words.get(first, H2), words.get(second, H2)), KIND_PAIR);
      store<i32>(seconds + firstAt, second);
      store<i32>(secondPairs + firstAt, id);
    }
    keys.touch(id, row);
    store<i32>(pairs + at, id);
  }
}

@inline function pairable(word: i32, minRows: i32): bool {
  return (words.get(word, SHAPE) & 1) == 0 && words.get(word, ROWS) >= minRows;
}

/**
 * The bitmaps of the entries, from the occurrences. Keys without a bitmap write to a spare one past the end, so that
 * each occurrence is five unconditional writes.
 */
function fillBitmaps(bytes: i32): void {
  const spare = bytes * postings;
  bitmapBytes = spare;
  memory.fill(bitmaps.fit(spare + bytes), 0, <usize>(spare + bytes));
  // by key id + 1, so that -1 (no key) finds the spare
  keyOffset.fit((keys.size + 1) * 4);
  keyOffset.setI32(0, spare);
  for (let id = 0; id < keys.size; id++) {
    const index = keyBitmap.i32(id);
    keyOffset.setI32(id + 1, index >= 0 ? index * bytes : spare);
  }
  wordOffsets.fit(max(words.size, 1) * TARGETS * 4);
  for (let word = 0; word < words.size; word++) {
    const base = word * TARGETS;
    const index = wordBitmap.i32(word);
    wordOffsets.setI32(base, index >= 0 ? index * bytes : spare);
    wordOffsets.setI32(base + 1, keyOffset.i32(words.get(word, PREFIX3) + 1));
    wordOffsets.setI32(base + 2, keyOffset.i32(words.get(word, PREFIX4) + 1));
    wordOffsets.setI32(base + 3, keyOffset.i32(words.get(word, PREFIX5) + 1));
  }
  const area = bitmaps.ptr;
  const offsets = wordOffsets.ptr;
  const keyOffsets = keyOffset.ptr + 4;
  const rowOf = occurrenceRow.ptr;
  const wordOf = occurrenceWord.ptr;
  const pairs = pairOf.ptr;
  const n = occurrences;
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 2;
    const row = load<i32>(rowOf + at);
    const targets = offsets + <usize>load<i32>(wordOf + at) * TARGETS * 4;
    setBit(area + <usize>load<i32>(targets), row);
    setBit(area + <usize>load<i32>(targets, 4), row);
    setBit(area + <usize>load<i32>(targets, 8), row);
    setBit(area + <usize>load<i32>(targets, 12), row);
    setBit(area + <usize>load<i32>(keyOffsets + (<usize>load<i32>(pairs + at) << 2)), row);
  }
}

/** The bloom filter's keys, flat (h1, h2…): every word, prefix and field. */
function fillBloomKeys(): void {
  let count = words.size;
  for (let id = 0; id < keys.size; id++) if (inBloom(id)) count++;
  bloomKeys.fit(max(count, 1) * 8);
  let at = 0;
  for (let id = 0; id < words.size; id++) {
    bloomKeys.setI32(at++, words.get(id, H1));
    bloomKeys.setI32(at++, words.get(id, H2));
  }
  for (let id = 0; id < keys.size; id++) {
    if (!inBloom(id)) continue;
    bloomKeys.setI32(at++, keys.get(id, H1));
    bloomKeys.setI32(at++, keys.get(id, H2));
  }
  bloomKeyCount = at;
}

@inline function inBloom(id: i32): bool {
  const kind = keys.kind(id);
  return kind == KIND_PREFIX || kind == KIND_FIELD;
}

// ------------------------------------------------------------------ row-group filter (bloom-filter.ts)

const GROUP_BLOOM_BITS_PER_KEY = 10;
const GROUP_BLOOM_HASHES = 7;

/** `hash` scaled to [0, n), in doubles exactly as bloom-filter.ts computes it. */
@inline function scaled(hash: i32, n: i32): i32 {
  return <i32>Math.floor((<f64>(<u32>hash) * <f64>n) / 4294967296.0);
}

/**
 * (word, row group) of every word of GROUP_MIN_LENGTH or more characters that has no bitmap, into the filter: per
 * word, the mask of its groups (gathered by addRows), so that its positions are computed once. The filter is sized
 * for the pairs.
 */
function fillGroupFilter(): void {
  let entries = 0;
  for (let word = 0; word < words.size; word++) {
    if (grouped(word)) entries += popcnt(groupMasks.i32(word));
  }
  groupWordCount = entries == 0 ? 0 : max(1, (entries * GROUP_BLOOM_BITS_PER_KEY + 31) / 32);
  memory.fill(groupWords.fit(max(groupWordCount, 1) * 4), 0, <usize>groupWordCount * 4);
  for (let word = 0; word < words.size; word++) {
    if (grouped(word)) addToGroupFilter(words.get(word, H1), words.get(word, H2), groupMasks.i32(word));
  }
}

@inline function grouped(word: i32): bool {
  return wordBitmap.i32(word) < 0 && words.get(word, SHAPE) >= GROUP_MIN_LENGTH * 2;
}

function addToGroupFilter(h1: i32, h2: i32, mask: i32): void {
  const m = groupWordCount;
  let position = scaled(h1, m);
  const step = scaled(h2, m) | 1;
  for (let k = 0; k < GROUP_BLOOM_HASHES; k++) {
    groupWords.setI32(position, groupWords.i32(position) | mask);
    position += step;
    // without a branch: it would go either way at random, and a mispredicted branch costs more than the rest
    position -= select<i32>(m, 0, position >= m);
  }
}
