import type { Level, LogLabels, LogRecord } from '../logs/record.js';

/** One journal entry from `journalctl -o export`: field name -> value (binary fields decoded as UTF-8). */
export type JournalEntry = Map<string, string>;

const NL = 0x0a;
const MAX_FIELD_BYTES = 64 * 1024 * 1024;

/**
 * Streaming parser for the journal export format (systemd.io/JOURNAL_EXPORT_FORMATS): `NAME=value\n` text fields,
 * `NAME\n<u64le size><bytes>\n` binary fields, a blank line between entries. Chunks may split anywhere.
 */
export class JournalExportParser {
  private buf = new Uint8Array(0);
  private entry: JournalEntry = new Map();
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): JournalEntry[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    const done: JournalEntry[] = [];
    let pos = 0;
    for (;;) {
      const eol = joined.indexOf(NL, pos);
      if (eol < 0) break;
      if (eol === pos) {
        if (this.entry.size > 0) done.push(this.entry);
        this.entry = new Map();
        pos = eol + 1;
        continue;
      }
      const line = joined.subarray(pos, eol);
      const eq = line.indexOf(0x3d);
      if (eq > 0) {
        this.entry.set(this.decoder.decode(line.subarray(0, eq)), this.decoder.decode(line.subarray(eq + 1)));
        pos = eol + 1;
        continue;
      }
      if (joined.length < eol + 9) break;
      const size = new DataView(joined.buffer, joined.byteOffset + eol + 1, 8).getBigUint64(0, true);
      if (size > BigInt(MAX_FIELD_BYTES)) {
        throw new Error(`journal export: binary field ${this.decoder.decode(line)} claims ${size} bytes`);
      }
      const start = eol + 9;
      const end = start + Number(size);
      if (joined.length < end + 1) break;
      if (joined[end] !== NL) throw new Error('journal export: binary field not followed by a newline');
      this.entry.set(this.decoder.decode(line), this.decoder.decode(joined.subarray(start, end)));
      pos = end + 1;
    }
    this.buf = joined.slice(pos);
    return done;
  }

  /** Flushes a final entry that lacked its trailing blank line. */
  end(): JournalEntry[] {
    const last = this.entry.size > 0 ? [this.entry] : [];
    this.entry = new Map();
    this.buf = new Uint8Array(0);
    return last;
  }
}

const PRIORITY_LEVELS: Level[] = ['critical', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];
const CONSUMED = new Set(['MESSAGE', 'PRIORITY', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP']);

export function journalEntryToRecord(entry: JournalEntry, base: Omit<LogLabels, 'source' | 'unit'>): LogRecord {
  const realtimeUs = entry.get('__REALTIME_TIMESTAMP') ?? entry.get('_SOURCE_REALTIME_TIMESTAMP');
  const tsNs = realtimeUs && /^\d+$/.test(realtimeUs) ? BigInt(realtimeUs) * 1000n : 0n;
  const priority = Number(entry.get('PRIORITY') ?? '6');
  const unit = entry.get('_SYSTEMD_UNIT') ?? entry.get('SYSLOG_IDENTIFIER');
  const fields: Record<string, string> = {};
  for (const [k, v] of entry) if (!CONSUMED.has(k)) fields[k] = v;
  return {
    tsNs,
    labels: { ...base, source: 'journald', ...(unit ? { unit } : {}) },
    level: PRIORITY_LEVELS[priority] ?? 'info',
    message: entry.get('MESSAGE') ?? '',
    fields,
  };
}
