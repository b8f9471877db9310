import type { LogLabels, LogRecord } from '../record.js';
import { detectLevel } from './levels.js';
import type { SerialLine } from './serial-splitter.js';

/** A live console line as a record stamped with its arrival time; undefined for blank lines (their raw bytes still count for replay). */
export function serialLineRecord(line: SerialLine, tsNs: bigint, labels: Omit<LogLabels, 'source'>): LogRecord | undefined {
  if (line.text.trim().length === 0) return undefined;
  const record: LogRecord = { tsNs, labels: { ...labels, source: 'serial' }, level: detectLevel(line.text) ?? 'info', message: line.text };
  if (line.split) record.fields = { split: '1' };
  return record;
}
