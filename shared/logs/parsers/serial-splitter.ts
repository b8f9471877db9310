import { concatBytes } from './line-splitter.js';
import { decodeUtf8, stripAnsi, stripControls } from './text.js';

export type SerialTerminator = 'lf' | 'cr' | 'crlf' | 'none';

/** One console line as the serial port delivered it. */
export interface SerialLine {
  /** The exact bytes, terminator and escape sequences included: concatenating every `raw` gives back the input. */
  raw: Uint8Array;
  /** The text to index: UTF-8 decoded, ANSI escape sequences and other control characters removed. */
  text: string;
  /** `none` for the unterminated tail at `end()`, or for a piece cut off an over-long line. */
  terminator: SerialTerminator;
  /** A piece of a line longer than the limit: serial data has no file to go back to, so long lines are split, not cut. */
  split: boolean;
  invalidUtf8: boolean;
}

const LF = 10;
const CR = 13;

/**
 * Streaming console splitter: lines end at CR, LF or CR LF (a CR at the end of a chunk waits for the next chunk to
 * see whether an LF follows). Memory is bounded by `maxLineBytes`.
 */
export class SerialLineSplitter {
  private parts: Uint8Array[] = [];
  private kept = 0;
  private pendingCr = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: SerialLine) => void,
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.pendingCr && chunk.length > 0) {
      this.pendingCr = false;
      if (chunk[0] === LF) {
        this.emit(new Uint8Array([CR, LF]), 'crlf', false);
        start = 1;
      } else {
        this.emit(new Uint8Array([CR]), 'cr', false);
      }
    }
    let lineStart = start;
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== LF && byte !== CR) {
        if (this.kept + (i + 1 - lineStart) >= this.maxLineBytes) {
          this.keep(chunk.subarray(lineStart, i + 1));
          this.emit(new Uint8Array(0), 'none', true);
          lineStart = i + 1;
        }
        continue;
      }
      this.keep(chunk.subarray(lineStart, i));
      if (byte === LF) {
        this.emit(chunk.subarray(i, i + 1), 'lf', false);
      } else if (i + 1 < chunk.length) {
        const crlf = chunk[i + 1] === LF;
        this.emit(chunk.subarray(i, crlf ? i + 2 : i + 1), crlf ? 'crlf' : 'cr', false);
        if (crlf) i++;
      } else {
        this.pendingCr = true;
      }
      lineStart = i + 1;
    }
    if (lineStart < chunk.length) this.keep(chunk.subarray(lineStart).slice());
    else if (this.pendingCr) this.parts = this.parts.map((part) => part.slice());
  }

  end(): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      this.emit(new Uint8Array([CR]), 'cr', false);
    } else if (this.kept > 0) {
      this.emit(new Uint8Array(0), 'none', false);
    }
  }

  private keep(part: Uint8Array): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.kept += part.length;
  }

  private emit(terminatorBytes: Uint8Array, terminator: SerialTerminator, split: boolean): void {
    const content = concatBytes(this.parts, this.kept);
    const raw = terminatorBytes.length === 0 ? content.slice() : concatBytes([content, terminatorBytes], content.length + terminatorBytes.length);
    const decoded = decodeUtf8(content);
    this.onLine({ raw, text: stripControls(stripAnsi(decoded.text)), terminator, split, invalidUtf8: decoded.invalidUtf8 });
    this.parts = [];
    this.kept = 0;
  }
}
