import type { FormatId, LineFormat, ParseContext } from './entry.js';
import { composeFormat, criFormat, dockerJsonFormat } from './containers.js';
import { journaldJsonFormat } from './journald-json.js';
import { jsonLinesFormat } from './json-lines.js';
import { klogFormat } from './klog.js';
import { plainFormat } from './plain.js';
import { syslogFormat } from './syslog.js';
import { YearInferrer } from './timestamps.js';

/** Most specific first: on a tie the earlier format wins. */
export const LINE_FORMATS: readonly LineFormat[] = [journaldJsonFormat, dockerJsonFormat, criFormat, klogFormat, syslogFormat, composeFormat, jsonLinesFormat, plainFormat];

export function lineFormat(id: FormatId): LineFormat | undefined {
  return LINE_FORMATS.find((format) => format.id === id);
}

const JOURNAL_FILE_MAGIC = 'LPKSHHRH';
const SERIAL_NAME = /\.(serial|ttylog|console)(\.log)?$/i;
const DETECT_LINES = 24;

function looksBinary(head: Uint8Array): boolean {
  let controls = 0;
  for (const byte of head) if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 27) controls++;
  return controls > head.length / 10;
}

function looksLikeJournalExport(text: string): boolean {
  return /^(__CURSOR=|__REALTIME_TIMESTAMP=)/.test(text) || (/^[A-Z0-9_]+=/.test(text) && /\n__REALTIME_TIMESTAMP=\d+\n/.test(text));
}

function bareCarriageReturns(head: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < head.length - 1; i++) if (head[i] === 13 && head[i + 1] !== 10) count++;
  return count;
}

/**
 * The format of a file from its name and first bytes: binary and journald files by their magic, serial captures by
 * name or bare CR line ends, line formats by how many of the first lines each one parses.
 */
export function detectFormat(name: string, head: Uint8Array, complete = true): FormatId {
  const text = new TextDecoder().decode(head);
  if (text.startsWith(JOURNAL_FILE_MAGIC)) return 'binary';
  if (looksLikeJournalExport(text)) return 'journald-export';
  if (looksBinary(head)) return 'binary';
  if (SERIAL_NAME.test(name)) return 'serial';
  const split = text.split('\n');
  if (!complete && split.length > 1) split.pop();
  const lines = split.map((line) => line.replace(/\r$/, '')).filter((line) => line.trim().length > 0);
  if (head.length > 0 && text.indexOf('\n') < 0 && bareCarriageReturns(head) > 0) return 'serial';
  if (bareCarriageReturns(head) > lines.length) return 'serial';
  const sample = lines.slice(0, DETECT_LINES);
  const context: ParseContext = { years: new YearInferrer(Date.now()) };
  let best: FormatId = 'plain';
  let bestCount = 0;
  for (const format of LINE_FORMATS) {
    if (format.id === 'plain') continue;
    const count = sample.filter((line) => format.parse(line, context) !== null).length;
    if (count > bestCount) {
      best = format.id;
      bestCount = count;
    }
  }
  return bestCount * 2 >= sample.length || bestCount >= 3 ? best : 'plain';
}
