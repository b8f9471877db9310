/**
 * Two independent 32-bit hashes per key (FNV-1a and a multiplicative hash), computed while walking lowercased
 * text without allocating substrings. Word filters and per-block postings key on the pair. Keys of a row:
 *   - each word;
 *   - each word's prefix of PREFIX_LENGTH characters (bloom filter and postings), for `prefix*` queries;
 *   - its longer prefixes, up to LONG_PREFIX_LENGTH characters, while they hold no digit (postings only);
 *   - each pair of adjacent words without digits (postings only), for phrases.
 * Digits are left out of the longer keys because numbers, ids and hashes would make them nearly all distinct (costly
 * to collect, never frequent enough for a bitmap); a query whose key is missing falls back to shorter keys.
 */
import { isTokenCode } from '../../../shared/logs/tokens.js';
import { KeyKind } from './token-table.js';

export const PREFIX_LENGTH = 3;
export const LONG_PREFIX_LENGTH = 5;
/** Salts keep prefix, pair and field entries apart from whole-word entries. */
const PREFIX_SALT = 0x9e3779b9;
const FIELD_SALT = 0x85ebca6b;
const PAIR_SALT = 0xc2b2ae35;

export interface HashSink {
  add(h1: number, h2: number, row: number, kind?: KeyKind): void;
}

export function hashString(text: string, salt = 0): [number, number] {
  let h1 = (0x811c9dc5 ^ salt) >>> 0;
  let h2 = (salt ^ 0x27d4eb2f) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return [h1 >>> 0, h2 >>> 0];
}

export function tokenHashes(token: string): [number, number] {
  return hashString(token);
}

/** The key of `prefix` cut to `length` characters; undefined when the prefix is shorter than PREFIX_LENGTH. */
export function prefixHashes(prefix: string, length = PREFIX_LENGTH): [number, number] | undefined {
  return prefix.length >= PREFIX_LENGTH ? hashString(prefix.slice(0, length), PREFIX_SALT) : undefined;
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

/** Adds every key of the tokens of `lower[start, end)` to `sink`. */
export function hashTokens(lower: string, row: number, sink: HashSink, start = 0, end = lower.length): void {
  let i = start;
  let previous1 = 0;
  let previous2 = 0;
  /** The previous word exists and has no digit. */
  let pairable = false;
  while (i < end) {
    while (i < end && !isTokenCode(lower.charCodeAt(i))) i++;
    if (i >= end) break;
    let h1 = 0x811c9dc5;
    let h2 = 0x27d4eb2f;
    let p1 = 0x811c9dc5 ^ PREFIX_SALT;
    let p2 = PREFIX_SALT ^ 0x27d4eb2f;
    let n = 0;
    let digits = false;
    for (; i < end; i++) {
      const c = lower.charCodeAt(i);
      if (!isTokenCode(c)) break;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
      if (c <= 57) digits = true;
      if (n < LONG_PREFIX_LENGTH) {
        p1 = Math.imul(p1 ^ c, 0x01000193);
        p2 = Math.imul(p2 + c, 0x5bd1e995) ^ (p2 >>> 15);
        n++;
        if (n === PREFIX_LENGTH) sink.add(p1 >>> 0, p2 >>> 0, row, KeyKind.Prefix);
        else if (n > PREFIX_LENGTH && !digits) sink.add(p1 >>> 0, p2 >>> 0, row, KeyKind.LongPrefix);
      }
    }
    h1 >>>= 0;
    h2 >>>= 0;
    sink.add(h1, h2, row, KeyKind.Word);
    if (pairable && !digits) sink.add(pairH1(previous1, h1), pairH2(previous2, h2), row, KeyKind.Pair);
    previous1 = h1;
    previous2 = h2;
    pairable = !digits;
  }
}
