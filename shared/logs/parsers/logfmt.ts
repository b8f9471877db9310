import type { ParsedEntry } from './entry.js';
import { structuredEntry } from './structured.js';

const PAIR = /([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/y;

/** `key=value key2="quoted \"value\""` lines (logrus, containerd); null unless the whole line is pairs. */
export function parseLogfmt(line: string): ParsedEntry | null {
  const object: Record<string, string> = {};
  let pos = 0;
  let pairs = 0;
  while (pos < line.length) {
    while (line[pos] === ' ') pos++;
    if (pos >= line.length) break;
    PAIR.lastIndex = pos;
    const m = PAIR.exec(line);
    if (!m) return null;
    object[m[1]!] = m[2] === undefined ? m[3]! : m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    pos = PAIR.lastIndex;
    pairs++;
  }
  return pairs === 0 ? null : structuredEntry(object);
}
