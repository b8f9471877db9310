import type { Level, SourceKind } from '../record.js';
import type { YearInferrer } from './timestamps.js';

/** What a format parser recovers from one line (or one journald entry); the file parser turns it into a LogRecord. */
export interface ParsedEntry {
  tsNs?: bigint;
  level?: Level;
  message: string;
  fields?: Record<string, string>;
  unit?: string;
  pod?: string;
  container?: string;
  /** A CRI `P` line or a Docker chunk without its newline: joined with the following entries. */
  partial?: boolean;
}

export interface ParseContext {
  years: YearInferrer;
}

export const FORMAT_IDS = ['journald-json', 'journald-export', 'syslog', 'cri', 'docker-json', 'compose', 'klog', 'json', 'plain', 'serial', 'binary'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export interface LineFormat {
  id: FormatId;
  source: SourceKind;
  /** null: the line is not in this format. */
  parse(line: string, context: ParseContext): ParsedEntry | null;
  /** Lines the format does not recognise continue the previous entry (multi-line messages, stack traces). */
  continuation: boolean;
}
