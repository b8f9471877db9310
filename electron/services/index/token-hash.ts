/**
 * Two independent 32-bit hashes per token (FNV-1a and a multiplicative hash), computed while walking lowercased
 * text without allocating substrings. Word filters and per-block postings key on the pair.
 */
import { isTokenCode } from '../../../shared/logs/tokens.js';
import { KeyKind } from './token-table.js';

export const PREFIX_LENGTH = 3;
/** Salts keep prefix and field entries apart from whole-word entries. */
const PREFIX_SALT = 0x9e3779b9;
const FIELD_SALT = 0x85ebca6b;

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

/** Hashes of the first PREFIX_LENGTH characters, for `prefix*` queries; undefined when the prefix is shorter. */
export function prefixHashes(prefix: string): [number, number] | undefined {
  return prefix.length >= PREFIX_LENGTH ? hashString(prefix.slice(0, PREFIX_LENGTH), PREFIX_SALT) : undefined;
}

export function fieldHashes(field: string, value: string): [number, number] {
  return hashString(`${field}\u0000${value.toLowerCase()}`, FIELD_SALT);
}

/** Adds every token of `lower[start, end)` (and its PREFIX_LENGTH prefix) to `sink`. */
export function hashTokens(lower: string, row: number, sink: HashSink, start = 0, end = lower.length): void {
  const length = end;
  let i = start;
  while (i < length) {
    while (i < length && !isTokenCode(lower.charCodeAt(i))) i++;
    if (i >= length) break;
    let h1 = 0x811c9dc5;
    let h2 = 0x27d4eb2f;
    let p1 = 0x811c9dc5 ^ PREFIX_SALT;
    let p2 = PREFIX_SALT ^ 0x27d4eb2f;
    let n = 0;
    for (; i < length; i++, n++) {
      const c = lower.charCodeAt(i);
      if (!isTokenCode(c)) break;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
      if (n < PREFIX_LENGTH) {
        p1 = Math.imul(p1 ^ c, 0x01000193);
        p2 = Math.imul(p2 + c, 0x5bd1e995) ^ (p2 >>> 15);
      }
    }
    sink.add(h1 >>> 0, h2 >>> 0, row);
    if (n >= PREFIX_LENGTH) sink.add(p1 >>> 0, p2 >>> 0, row, KeyKind.Prefix);
  }
}
