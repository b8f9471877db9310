import type { Level } from '../record.js';
import type { ParsedEntry } from './entry.js';
import { levelFromName, levelFromNumber } from './levels.js';
import { epochToNs, parseIso8601 } from './timestamps.js';

const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp', 't', 'date', 'datetime', '@t'];
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'loglevel', 'log.level', 'levelname', '@l', 'priority'];
const MESSAGE_KEYS = ['msg', 'message', 'log', 'text', 'MESSAGE', '@m', '@mt'];

function timeOf(value: unknown): bigint | undefined {
  if (typeof value === 'number') return epochToNs(value);
  if (typeof value !== 'string') return undefined;
  return parseIso8601(value) ?? epochToNs(value);
}

function levelOf(value: unknown): Level | undefined {
  if (typeof value === 'number') return levelFromNumber(value);
  if (typeof value !== 'string') return undefined;
  return /^\d+$/.test(value) ? levelFromNumber(Number(value)) : levelFromName(value);
}

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/** Nested objects become dotted field names (`obj.field1`); arrays and scalars become text. */
function flatten(prefix: string, value: unknown, fields: Record<string, string>, depth: number): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 4) {
    for (const [key, inner] of Object.entries(value)) flatten(`${prefix}.${key}`, inner, fields, depth + 1);
  } else {
    fields[prefix] = fieldText(value);
  }
}

function firstKey(object: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.find((key) => key in object);
}

/** An object from a JSON or logfmt line: well-known keys give time, level and message; the rest become fields. */
export function structuredEntry(object: Record<string, unknown>): ParsedEntry {
  const timeKey = firstKey(object, TIME_KEYS);
  const levelKey = firstKey(object, LEVEL_KEYS);
  const messageKey = firstKey(object, MESSAGE_KEYS);
  const tsNs = timeKey === undefined ? undefined : timeOf(object[timeKey]);
  const level = levelKey === undefined ? undefined : levelOf(object[levelKey]);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === messageKey || (key === timeKey && tsNs !== undefined) || (key === levelKey && level !== undefined)) continue;
    flatten(key, value, fields, 0);
  }
  const message = messageKey === undefined ? '' : fieldText(object[messageKey]);
  return { tsNs, level, message, fields };
}
