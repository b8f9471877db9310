import type { LineFormat, ParseContext, ParsedEntry } from './entry.js';
import { parseLogfmt } from './logfmt.js';
import { fractionToNs } from './timestamps.js';

const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s+(\d+) ([^\s:\]]+):(\d+)\] ?/;
const KLOG_LEVELS = { I: 'info', W: 'warn', E: 'error', F: 'critical' } as const;

/** klog header `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg` (year inferred), as K3s and Kubernetes components write. */
export function parseKlogLine(line: string, context: ParseContext): ParsedEntry | null {
  const m = KLOG.exec(line);
  if (!m) return null;
  const tsNs = context.years.resolve(Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fractionToNs(m[7]));
  if (tsNs === undefined) return null;
  return {
    tsNs,
    level: KLOG_LEVELS[m[1] as keyof typeof KLOG_LEVELS],
    message: line.slice(m[0].length),
    fields: { pid: m[8]!, caller: `${m[9]}:${m[10]}` },
  };
}

/** K3s logs mix klog lines with logrus lines (`time="..." level=info msg="..."`). */
export function parseK3s(line: string, context: ParseContext): ParsedEntry | null {
  return parseKlogLine(line, context) ?? parseLogrus(line);
}

function parseLogrus(line: string): ParsedEntry | null {
  if (!line.startsWith('time=')) return null;
  const entry = parseLogfmt(line);
  return entry?.tsNs === undefined ? null : entry;
}

export const klogFormat: LineFormat = { id: 'klog', source: 'k3s', parse: parseK3s, continuation: true };
