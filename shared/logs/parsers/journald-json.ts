import type { LineFormat, ParsedEntry } from './entry.js';
import { journalEntry } from './journald.js';
import { jsonObject } from './json-lines.js';
import { decodeUtf8 } from './text.js';

/** `journalctl -o json` writes binary or non-UTF-8 values as arrays of byte values, and repeated fields as arrays. */
function journalValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!Array.isArray(value)) return undefined;
  if (value.every((item) => typeof item === 'number' && Number.isInteger(item) && item >= 0 && item <= 255)) {
    return decodeUtf8(Uint8Array.from(value as number[])).text;
  }
  return value.map(journalValue).filter((item) => item !== undefined).join('\n');
}

export function parseJournaldJson(line: string): ParsedEntry | null {
  const record = jsonObject(line);
  if (!record || (!('__REALTIME_TIMESTAMP' in record) && !('__CURSOR' in record))) return null;
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(record)) {
    const text = journalValue(value);
    if (text !== undefined) values.set(name, text);
  }
  return journalEntry(values);
}

export const journaldJsonFormat: LineFormat = { id: 'journald-json', source: 'journald', parse: parseJournaldJson, continuation: false };
