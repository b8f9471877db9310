import type { LineFormat, ParseContext, ParsedEntry } from './entry.js';
import { levelFromSeverity } from './levels.js';
import { matchIso8601, matchSyslogDate, type TimestampMatch } from './timestamps.js';

const PRI = /^<(\d{1,3})>/;
const RFC5424_HEADER = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const TAG = /^([^\s:[\]]{1,128})(?:\[([^\]\s]{0,32})\])?: ?/;

function severityOf(pri: string | undefined): number | undefined {
  if (pri === undefined) return undefined;
  const value = Number(pri);
  return value <= 191 ? value & 7 : undefined;
}

function nil(value: string): string | undefined {
  return value === '-' ? undefined : value;
}

const SD_PARAM = /\s*([^\s=\]"]+)="((?:[^"\\]|\\.)*)"/y;

/** RFC 5424 STRUCTURED-DATA: `[id k="v" ...][...]` -> fields `id.k`; returns the characters consumed. */
function parseStructuredData(text: string, fields: Record<string, string>): number {
  if (text.startsWith('- ') || text === '-') return Math.min(2, text.length);
  let pos = 0;
  while (text[pos] === '[') {
    const idEnd = text.slice(pos + 1).search(/[\s\]]/);
    if (idEnd < 0) return -1;
    const id = text.slice(pos + 1, pos + 1 + idEnd);
    pos += 1 + idEnd;
    SD_PARAM.lastIndex = pos;
    for (let m = SD_PARAM.exec(text); m; m = SD_PARAM.exec(text)) {
      fields[`${id}.${m[1]}`] = m[2]!.replace(/\\(["\\\]])/g, '$1');
      pos = SD_PARAM.lastIndex;
    }
    if (text[pos] !== ']') return -1;
    pos++;
  }
  if (pos === 0) return -1;
  return text[pos] === ' ' ? pos + 1 : pos;
}

function parse5424(rest: string, severity: number | undefined): ParsedEntry | null {
  const header = RFC5424_HEADER.exec(rest);
  if (!header) return null;
  const fields: Record<string, string> = {};
  const timestamp = header[1] === '-' ? undefined : matchIso8601(header[1]!);
  if (header[1] !== '-' && timestamp?.length !== header[1]!.length) return null;
  const host = nil(header[2]!);
  const procId = nil(header[4]!);
  const msgId = nil(header[5]!);
  if (host) fields.host = host;
  if (procId) fields.pid = procId;
  if (msgId) fields.msgid = msgId;
  const body = rest.slice(header[0].length);
  const consumed = parseStructuredData(body, fields);
  if (consumed < 0) return null;
  const message = body.slice(consumed).replace(/^\uFEFF/, '');
  return { tsNs: timestamp?.tsNs, level: levelFromSeverity(severity ?? 6), message, unit: nil(header[3]!), fields };
}

function parse3164(rest: string, severity: number | undefined, context: ParseContext): ParsedEntry | null {
  const bsd = matchSyslogDate(rest, context.years);
  const timestamp: TimestampMatch | undefined = bsd ?? (rest[10] === 'T' ? matchIso8601(rest) : undefined);
  if (!timestamp || rest[timestamp.length] !== ' ') return null;
  const afterTime = rest.slice(timestamp.length + 1);
  const fields: Record<string, string> = {};
  const firstSpace = afterTime.indexOf(' ');
  const hostless = TAG.exec(afterTime) !== null && (firstSpace < 0 || afterTime[firstSpace - 1] === ':');
  let body = afterTime;
  if (!hostless && firstSpace > 0) {
    fields.host = afterTime.slice(0, firstSpace);
    body = afterTime.slice(firstSpace + 1);
  }
  const tag = TAG.exec(body);
  let unit: string | undefined;
  if (!tag && !bsd) return null;
  if (tag) {
    unit = tag[1];
    if (tag[2]) fields.pid = tag[2];
    body = body.slice(tag[0].length);
  }
  return { tsNs: timestamp.tsNs, level: severity === undefined ? undefined : levelFromSeverity(severity), message: body, unit, fields };
}

/** RFC 5424 (`<PRI>1 ts host app procid msgid [sd] msg`) and RFC 3164 / BSD (`<PRI>Mmm dd hh:mm:ss host tag[pid]: msg`). */
export function parseSyslog(line: string, context: ParseContext): ParsedEntry | null {
  const pri = PRI.exec(line);
  const severity = severityOf(pri?.[1]);
  const rest = pri ? line.slice(pri[0].length) : line;
  if (pri && rest.startsWith('1 ')) return parse5424(rest, severity);
  return parse3164(rest, severity, context);
}

export const syslogFormat: LineFormat = { id: 'syslog', source: 'syslog', parse: parseSyslog, continuation: true };
