import type { LineFormat, ParseContext, ParsedEntry } from './entry.js';
import { matchLeadingTimestamp } from './timestamps.js';

const SEPARATORS = /^[\s:,|\-\]]+/;

/** A line with a leading timestamp; null when there is none (such lines continue the previous entry). */
export function parseTimestampedText(line: string, context: ParseContext): ParsedEntry | null {
  const match = matchLeadingTimestamp(line, context.years);
  if (!match) return null;
  return { tsNs: match.tsNs, message: line.slice(match.length).replace(SEPARATORS, '') };
}

/** Any line as text: its leading timestamp when it has one, the whole line as message otherwise. */
export function parseAnyText(line: string, context: ParseContext): ParsedEntry {
  return parseTimestampedText(line, context) ?? { message: line };
}

export const plainFormat: LineFormat = { id: 'plain', source: 'file', parse: parseTimestampedText, continuation: true };
