import type { ParsedEntry } from './entry.js';
import { journalEntry } from './journald.js';
import { CappedBytes } from './line-splitter.js';
import { decodeUtf8 } from './text.js';

export interface ExportCounters {
  invalidUtf8: number;
  /** Values other than MESSAGE that were cut at the limit (a cut MESSAGE is marked on the entry itself). */
  truncatedFields: number;
  /** Field lines that were neither `NAME=value` nor a binary field header. */
  malformed: number;
}

const LF = 10;
const EQUALS = 61;

type State = { kind: 'line' } | { kind: 'length'; name: string } | { kind: 'data'; name: string; remaining: bigint } | { kind: 'terminator' };

/**
 * Streaming reader for `journalctl -o export`: entries are field lines separated by an empty line; a field is
 * `NAME=value\n`, or, when the value is binary, `NAME\n` + 64-bit little-endian length + raw bytes + `\n`.
 * Values larger than `maxValueBytes` are kept truncated; memory stays bounded.
 */
export class JournalExportReader {
  private state: State = { kind: 'line' };
  private readonly pending: CappedBytes;
  private values = new Map<string, string>();
  private truncatedEntry = 0;
  readonly counters: ExportCounters = { invalidUtf8: 0, truncatedFields: 0, malformed: 0 };

  constructor(
    maxValueBytes: number,
    private readonly onEntry: (entry: ParsedEntry, droppedBytes: number) => void,
  ) {
    this.pending = new CappedBytes(maxValueBytes);
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) pos = this.step(chunk, pos);
  }

  end(): void {
    if (this.state.kind === 'line' && (this.pending.kept > 0 || this.pending.dropped > 0)) this.fieldLine();
    else if (this.state.kind === 'data') this.binaryValue(this.state.name);
    else if (this.state.kind === 'length') this.counters.malformed++;
    this.finishEntry();
    this.state = { kind: 'line' };
  }

  private step(chunk: Uint8Array, pos: number): number {
    const state = this.state;
    switch (state.kind) {
      case 'line': {
        const newline = chunk.indexOf(LF, pos);
        const end = newline === -1 ? chunk.length : newline;
        this.pending.add(chunk.subarray(pos, end), newline === -1);
        if (newline === -1) return chunk.length;
        this.fieldLine();
        return newline + 1;
      }
      case 'length': {
        const take = Math.min(8 - this.pending.kept, chunk.length - pos);
        this.pending.add(chunk.subarray(pos, pos + take), true);
        if (this.pending.kept === 8) {
          const { bytes } = this.pending.take();
          const remaining = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
          this.state = { kind: 'data', name: state.name, remaining };
          if (remaining === 0n) this.binaryValue(state.name);
        }
        return pos + take;
      }
      case 'data': {
        const available = BigInt(chunk.length - pos);
        const take = Number(state.remaining < available ? state.remaining : available);
        this.pending.add(chunk.subarray(pos, pos + take), true);
        state.remaining -= BigInt(take);
        if (state.remaining === 0n) this.binaryValue(state.name);
        return pos + take;
      }
      case 'terminator':
        this.state = { kind: 'line' };
        if (chunk[pos] === LF) return pos + 1;
        this.counters.malformed++;
        return pos;
    }
  }

  private text(bytes: Uint8Array): string {
    const decoded = decodeUtf8(bytes);
    if (decoded.invalidUtf8) this.counters.invalidUtf8++;
    return decoded.text;
  }

  private fieldLine(): void {
    const { bytes, dropped } = this.pending.take();
    if (bytes.length === 0 && dropped === 0) {
      this.finishEntry();
      return;
    }
    const equals = bytes.indexOf(EQUALS);
    if (equals > 0) {
      this.setValue(this.text(bytes.subarray(0, equals)), this.text(bytes.subarray(equals + 1)), dropped);
    } else if (dropped === 0 && /^[A-Za-z0-9_]+$/.test(this.text(bytes))) {
      this.state = { kind: 'length', name: this.text(bytes) };
    } else {
      this.counters.malformed++;
    }
  }

  private binaryValue(name: string): void {
    const { bytes, dropped } = this.pending.take();
    this.setValue(name, this.text(bytes), dropped);
    this.state = { kind: 'terminator' };
  }

  private setValue(name: string, value: string, dropped: number): void {
    if (dropped > 0 && name === 'MESSAGE') this.truncatedEntry = dropped;
    else if (dropped > 0) this.counters.truncatedFields++;
    this.values.set(name, value);
  }

  private finishEntry(): void {
    if (this.values.size === 0) return;
    const entry = journalEntry(this.values);
    const dropped = this.truncatedEntry;
    this.values = new Map();
    this.truncatedEntry = 0;
    this.onEntry(entry, dropped);
  }
}
