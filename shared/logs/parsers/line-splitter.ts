/** One line of a file, without its terminator. */
export interface RawLine {
  bytes: Uint8Array;
  /** Bytes beyond the line limit that were dropped (0 when the line was complete). */
  droppedBytes: number;
  /** The line ended in CR LF (the CR is removed from `bytes`). */
  crlf: boolean;
  /** The last line of the input had no terminating LF. */
  unterminated: boolean;
}

const LF = 10;
const CR = 13;

export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Bytes gathered across chunks up to a cap: what does not fit is counted, not kept, so memory stays bounded. */
export class CappedBytes {
  private parts: Uint8Array[] = [];
  kept = 0;
  dropped = 0;

  constructor(private readonly maxBytes: number) {}

  /** `copy` when `part` views a chunk that will not outlive this call. */
  add(part: Uint8Array, copy: boolean): void {
    const room = this.maxBytes - this.kept;
    const taken = part.length <= room ? part : part.subarray(0, room);
    this.dropped += part.length - taken.length;
    if (taken.length === 0) return;
    this.parts.push(copy ? taken.slice() : taken);
    this.kept += taken.length;
  }

  /** What was gathered, and a fresh start. */
  take(): { bytes: Uint8Array; dropped: number } {
    const taken = { bytes: concatBytes(this.parts, this.kept), dropped: this.dropped };
    this.parts = [];
    this.kept = 0;
    this.dropped = 0;
    return taken;
  }
}

/** Streaming LF splitter with a per-line byte cap, so memory stays bounded whatever the input. */
export class LineSplitter {
  private readonly line: CappedBytes;

  constructor(
    maxLineBytes: number,
    private readonly onLine: (line: RawLine) => void,
  ) {
    this.line = new CappedBytes(maxLineBytes);
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.line.add(chunk.subarray(start), true);
        return;
      }
      this.line.add(chunk.subarray(start, newline), false);
      this.emit(false);
      start = newline + 1;
    }
  }

  end(): void {
    if (this.line.kept > 0 || this.line.dropped > 0) this.emit(true);
  }

  private emit(unterminated: boolean): void {
    const { bytes, dropped } = this.line.take();
    const crlf = !unterminated && dropped === 0 && bytes.length > 0 && bytes[bytes.length - 1] === CR;
    this.onLine({ bytes: crlf ? bytes.subarray(0, bytes.length - 1) : bytes, droppedBytes: dropped, crlf, unterminated });
  }
}
