/** How received bytes are drawn in the terminal: as they are, as a hex dump, and/or with the arrival time on each line. */
export interface ViewOptions {
  hex: boolean;
  timestamps: boolean;
}

const LF = 0x0a;
const HEX_PER_ROW = 16;
const encoder = new TextEncoder();
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `12:04:05.123`, local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const stamp = (ms: number) => `\x1b[2m[${clockTime(ms)}]\x1b[22m `;
const gutterChar = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** Stateful across chunks: a line or hex row may span several. Output is ready for `terminal.write`. */
export class ConsoleFormatter {
  private atLineStart = true;
  private row: number[] = [];

  constructor(readonly options: ViewOptions) {}

  push(tsMs: number, bytes: Uint8Array): Uint8Array | string {
    return this.options.hex ? this.hex(tsMs, bytes) : this.text(tsMs, bytes);
  }

  private text(tsMs: number, bytes: Uint8Array): Uint8Array {
    if (!this.options.timestamps) return bytes;
    const prefix = encoder.encode(stamp(tsMs));
    const parts: Uint8Array[] = [];
    let from = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (this.atLineStart) {
        parts.push(bytes.subarray(from, i), prefix);
        from = i;
        this.atLineStart = false;
      }
      if (bytes[i] === LF) this.atLineStart = true;
    }
    parts.push(bytes.subarray(from));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private hex(tsMs: number, bytes: Uint8Array): string {
    let out = '';
    for (const b of bytes) {
      if (this.row.length === 0 && this.options.timestamps) out += stamp(tsMs);
      out += `${b.toString(16).padStart(2, '0')} `;
      this.row.push(b);
      if (this.row.length === HEX_PER_ROW) {
        out += ` |${this.row.map(gutterChar).join('')}|\r\n`;
        this.row = [];
      }
    }
    return out;
  }
}

/** What Enter and pasted newlines become on the wire. */
export const LINE_ENDING_BYTES = { cr: '\r', lf: '\n', crlf: '\r\n' } as const;

/** Typed text for the wire: xterm reports Enter as CR, which becomes the chosen line ending. */
export function typedToWire(data: string, lineEnding: keyof typeof LINE_ENDING_BYTES): string {
  return data.replace(/\r/g, LINE_ENDING_BYTES[lineEnding]);
}

/** Pasted text for the wire: any newline convention becomes the chosen line ending. */
export function pastedToWire(text: string, lineEnding: keyof typeof LINE_ENDING_BYTES): string {
  return text.replace(/\r\n|\r|\n/g, LINE_ENDING_BYTES[lineEnding]);
}

export const isMultiLine = (text: string) => /[\r\n]/.test(text);

export function toBase64(text: string): string {
  let binary = '';
  for (const b of encoder.encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
