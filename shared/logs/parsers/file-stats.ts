import type { FormatId } from './entry.js';

/** What one file held, and every oddity met on the way, by count. */
export interface FileStats {
  format: FormatId | undefined;
  bytes: number;
  /** Physical lines (or journald export entries). */
  lines: number;
  records: number;
  /** Lines with invalid UTF-8, stored with U+FFFD replacement characters. */
  invalidUtf8: number;
  /** Lines holding NUL bytes, stored as U+2400. */
  nulBytes: number;
  /** Lines that ended in CR LF. */
  crlf: number;
  /** 1 when the last line had no final newline (it is still imported). */
  noFinalNewline: number;
  /** Records cut at the line limit, marked in the message and in field `truncated_bytes`. */
  truncated: number;
  /** Records whose timestamp went back in time: the previous timestamp is used, field `ts_flag=out_of_order`. */
  outOfOrder: number;
  /** Records without a timestamp: the previous one (else the ingest time) is used, field `ts_flag=missing`. */
  missingTs: number;
  /** Lines the detected format did not recognise, imported as plain text. */
  unparsed: number;
  /** Empty or whitespace-only lines, not stored. */
  blankLines: number;
  /** Set when the content was not imported (binary data, unsupported compression, unreadable archive entry). */
  skipped?: string;
}

export function emptyStats(): FileStats {
  return {
    format: undefined, bytes: 0, lines: 0, records: 0, invalidUtf8: 0, nulBytes: 0, crlf: 0, noFinalNewline: 0,
    truncated: 0, outOfOrder: 0, missingTs: 0, unparsed: 0, blankLines: 0,
  };
}

export const STAT_COUNTERS = ['bytes', 'lines', 'records', 'invalidUtf8', 'nulBytes', 'crlf', 'noFinalNewline', 'truncated', 'outOfOrder', 'missingTs', 'unparsed', 'blankLines'] as const;
