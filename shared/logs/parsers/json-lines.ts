import type { LineFormat, ParsedEntry } from './entry.js';
import { structuredEntry } from './structured.js';

/** The line as a JSON object, or null when it is not one. */
export function jsonObject(line: string): Record<string, unknown> | null {
  if (!line.trimStart().startsWith('{')) return null;
  let object: unknown;
  try {
    object = JSON.parse(line);
  } catch {
    return null;
  }
  return typeof object === 'object' && object !== null && !Array.isArray(object) ? (object as Record<string, unknown>) : null;
}

export function parseJsonLine(line: string): ParsedEntry | null {
  const object = jsonObject(line);
  return object && structuredEntry(object);
}

export const jsonLinesFormat: LineFormat = { id: 'json', source: 'file', parse: parseJsonLine, continuation: false };
