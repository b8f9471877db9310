/**
 * Session capture file: a magic line, then chunks `dir u8 | tsNs u64 BE | length u32 BE | bytes`.
 * Every received byte keeps the time it arrived; sent bytes and session notes are interleaved in order.
 */

export const CAPTURE_MAGIC = new TextEncoder().encode('FKSERCAP1\n');
const HEADER = 13;

export type ChunkDirection = 'rx' | 'tx' | 'note';
const DIRS: readonly ChunkDirection[] = ['rx', 'tx', 'note'];

export interface CaptureChunk {
  dir: ChunkDirection;
  tsNs: bigint;
  bytes: Uint8Array;
}

export function encodeChunk(chunk: CaptureChunk): Uint8Array {
  const out = new Uint8Array(HEADER + chunk.bytes.length);
  const v = new DataView(out.buffer);
  v.setUint8(0, DIRS.indexOf(chunk.dir));
  v.setBigUint64(1, chunk.tsNs);
  v.setUint32(9, chunk.bytes.length);
  out.set(chunk.bytes, HEADER);
  return out;
}

/** Streaming decoder: push file bytes in any slicing, get whole chunks back. */
export class CaptureDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private sawMagic = false;

  push(bytes: Uint8Array): CaptureChunk[] {
    this.buf = concat(this.buf, bytes);
    if (!this.sawMagic) {
      if (this.buf.length < CAPTURE_MAGIC.length) return [];
      if (!CAPTURE_MAGIC.every((b, i) => this.buf[i] === b)) throw new Error('not a FieldKit serial capture (bad magic)');
      this.buf = this.buf.subarray(CAPTURE_MAGIC.length);
      this.sawMagic = true;
    }
    const out: CaptureChunk[] = [];
    let at = 0;
    while (this.buf.length - at >= HEADER) {
      const v = new DataView(this.buf.buffer, this.buf.byteOffset + at);
      const dir = DIRS[v.getUint8(0)];
      if (!dir) throw new Error(`corrupt capture: unknown chunk type ${v.getUint8(0)}`);
      const len = v.getUint32(9);
      if (this.buf.length - at < HEADER + len) break;
      out.push({ dir, tsNs: v.getBigUint64(1), bytes: this.buf.slice(at + HEADER, at + HEADER + len) });
      at += HEADER + len;
    }
    this.buf = this.buf.slice(at);
    return out;
  }

  /** Bytes of an incomplete trailing chunk (a capture cut off mid-write). */
  get pending(): number {
    return this.buf.length;
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
