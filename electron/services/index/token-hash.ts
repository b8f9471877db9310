/**
 * Two independent 32-bit hashes per key (FNV-1a and a multiplicative hash). Filters and postings key on the pair. The
 * index writes them in WebAssembly (assembly/token-table.ts, hashing a word inline while walking the text); queries
 * hash here. The two must agree bit for bit. Keys of a row:
 *   - each word;
 *   - each word's prefixes of PREFIX_LENGTH (bloom filter and postings) up to LONG_PREFIX_LENGTH characters
 *     (postings only), for `prefix*` queries, while they hold no digit;
 *   - each pair of adjacent words without digits (postings only), for phrases.
 * Keys with digits are left out of prefixes and pairs: numbers, ids and hashes would make them nearly all distinct
 * (costly to collect, never frequent enough for a bitmap), and a block's thousands of numbers and ids would leave
 * few 3-character prefixes with digits that its bloom filter could rule out. A prefix query whose key is missing
 * falls back to shorter keys, or to the text.
 */

export const PREFIX_LENGTH = 3;
export const LONG_PREFIX_LENGTH = 5;
/** Salts keep prefix, pair and field entries apart from whole-word entries. */
const PREFIX_SALT = 0x9e3779b9;
const FIELD_SALT = 0x85ebca6b;
const PAIR_SALT = 0xc2b2ae35;

export function hashString(text: string, salt = 0): [number, number] {
  return [hash1(text, 0, text.length, salt), hash2(text, 0, text.length, salt)];
}

const HASH1_SEED = 0x811c9dc5;
const HASH2_SEED = 0x27d4eb2f;
const hashStep1 = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);
const hashStep2 = (h: number, c: number) => Math.imul(h + c, 0x5bd1e995) ^ (h >>> 15);

/** The first hash of `text[start, end)`. */
function hash1(text: string, start: number, end: number, salt = 0): number {
  let h = (HASH1_SEED ^ salt) >>> 0;
  for (let i = start; i < end; i++) h = hashStep1(h, text.charCodeAt(i));
  return h >>> 0;
}

/** The second hash of `text[start, end)`. */
function hash2(text: string, start: number, end: number, salt = 0): number {
  let h = (salt ^ HASH2_SEED) >>> 0;
  for (let i = start; i < end; i++) h = hashStep2(h, text.charCodeAt(i));
  return h >>> 0;
}

export function tokenHashes(token: string): [number, number] {
  return hashString(token);
}

/** The key of `prefix` cut to `length` characters; undefined when that is not indexed (too short, or has a digit). */
export function prefixHashes(prefix: string, length = PREFIX_LENGTH): [number, number] | undefined {
  const cut = prefix.slice(0, length);
  return cut.length >= PREFIX_LENGTH && !/[0-9]/.test(cut) ? hashString(cut, PREFIX_SALT) : undefined;
}

/** The key of word `second` right after word `first`, from their word keys. */
export function pairHashes(first: readonly [number, number], second: readonly [number, number]): [number, number] {
  return [pairH1(first[0], second[0]), pairH2(first[1], second[1])];
}

const pairH1 = (a: number, b: number) => (Math.imul(a ^ PAIR_SALT, 0x85ebca6b) + b) >>> 0;
const pairH2 = (a: number, b: number) => (Math.imul(a, 0x27d4eb2f) ^ Math.imul(b ^ PAIR_SALT, 0x165667b1)) >>> 0;

export function fieldHashes(field: string, value: string): [number, number] {
  return hashString(`${field}\u0000${value.toLowerCase()}`, FIELD_SALT);
}

/** The postings key of the rows where the word with key (h1, h2) occurs more than once. */
export function repeatHashes(h1: number, h2: number): [number, number] {
  return [Math.imul(h1 ^ 0x2545f491, 0x9e3779b1) >>> 0, (h2 ^ 0x4f6cdd1d) >>> 0];
}

/** Words shorter than this are left out of the row-group filter (short numbers, mostly: many, rarely searched). */
export const GROUP_MIN_LENGTH = 4;
const MAX_GROUPS = 32;

/** Rows per group of a block of `rows` rows: at most 32 groups, so that a block's candidate groups fit one int. */
export function groupRowsOf(rows: number): number {
  return Math.max(1, Math.ceil(rows / MAX_GROUPS));
}
