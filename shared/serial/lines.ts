/** Received bytes → timestamped lines → log records (pure). */
import type { LogLabels, LogRecord } from '../logs/record.js';

export interface CapturedLine {
  /** Arrival time of the line's first byte. */
  tsNs: bigint;
  /** The line without its LF (a CR before the LF is kept here and dropped from the message). */
  bytes: Uint8Array;
  /** False when the line was cut by the length limit or flushed before its LF arrived. */
  complete: boolean;
}

export class LineAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;
  private startNs: bigint | null = null;

  constructor(private readonly maxLineBytes = 4096) {}

  push(tsNs: bigint, bytes: Uint8Array): CapturedLine[] {
    const out: CapturedLine[] = [];
    let from = 0;
    while (from < bytes.length) {
      const nl = bytes.indexOf(0x0a, from);
      const room = this.maxLineBytes - this.size;
      const end = nl < 0 ? bytes.length : nl;
      this.startNs ??= tsNs;
      if (end - from >= room) {
        this.add(bytes.subarray(from, from + room));
        out.push(this.take(false));
        from += room;
        continue;
      }
      this.add(bytes.subarray(from, end));
      if (nl < 0) break;
      out.push(this.take(true));
      from = nl + 1;
    }
    return out;
  }

  /** Emits the unfinished line, if any (idle timeout, disconnect, close). */
  flush(): CapturedLine | null {
    return this.startNs === null ? null : this.take(false);
  }

  get hasPartial(): boolean {
    return this.startNs !== null;
  }

  private add(b: Uint8Array) {
    if (b.length === 0) return;
    this.parts.push(b.slice());
    this.size += b.length;
  }

  private take(complete: boolean): CapturedLine {
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const line = { tsNs: this.startNs!, bytes, complete };
    this.parts = [];
    this.size = 0;
    this.startNs = null;
    return line;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** Readable text of a line: UTF-8, ANSI escapes removed, trailing CR dropped, other controls shown as U+FFFD. */
export function lineText(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/\r$/, '').replace(ANSI, '').replace(CONTROL, '\uFFFD');
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * One log record per line. When the text does not reproduce the bytes exactly (escapes, binary, bad UTF-8), the
 * exact bytes ride along in `fields.hex`, so the index never loses a byte.
 */
export function lineToRecord(line: CapturedLine, labels: Omit<LogLabels, 'source'>, extra: Record<string, string> = {}): LogRecord {
  const message = lineText(line.bytes);
  const exact = encoder.encode(message);
  const lossless = exact.length === line.bytes.length ? exact.every((b, i) => b === line.bytes[i]) : false;
  const fields: Record<string, string> = { ...extra };
  if (!lossless) fields['hex'] = hex(line.bytes);
  if (!line.complete) fields['partial'] = '1';
  return { tsNs: line.tsNs, labels: { ...labels, source: 'serial' }, level: 'info', message, ...(Object.keys(fields).length ? { fields } : {}) };
}

/** Reassembles the exact received bytes from records made by lineToRecord. */
export function recordBytes(rec: LogRecord): Uint8Array {
  const body = rec.fields?.['hex'] !== undefined ? fromHex(rec.fields['hex']) : encoder.encode(rec.message);
  if (rec.fields?.['partial'] === '1') return body;
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  out[body.length] = 0x0a;
  return out;
}

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}
