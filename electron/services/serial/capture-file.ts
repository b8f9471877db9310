/** Append-only session capture file (format: shared/serial/capture-format.ts) and its raw / text exports. */
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { CAPTURE_MAGIC, CaptureDecoder, encodeChunk, type CaptureChunk } from '../../../shared/serial/capture-format.js';
import { LineAssembler, lineText } from '../../../shared/serial/lines.js';

export class CaptureWriter {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  private constructor(private readonly fh: FileHandle, readonly path: string) {}

  static async create(path: string): Promise<CaptureWriter> {
    const fh = await open(path, 'wx');
    await fh.write(CAPTURE_MAGIC);
    return new CaptureWriter(fh, path);
  }

  /** Queues a chunk; call flush() to get it on disk. */
  add(chunk: CaptureChunk): void {
    const enc = encodeChunk(chunk);
    this.queue.push(enc);
    this.queued += enc.length;
  }

  /** Bytes queued and not yet written. */
  get backlog(): number {
    return this.queued;
  }

  /** Writes everything queued so far; with `sync`, also fdatasync. Resolves when done. */
  flush(sync = false): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writing.then(async () => {
      if (this.failure) throw this.failure;
      try {
        if (batch.length) await this.fh.writev(batch);
        this.queued -= batch.reduce((n, b) => n + b.length, 0);
        if (sync) await this.fh.datasync();
      } catch (err) {
        this.failure = err as Error;
        throw err;
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush(true);
    await this.fh.close();
  }
}

/** Streams the chunks of a capture file. */
export async function* readCapture(path: string): AsyncGenerator<CaptureChunk> {
  const dec = new CaptureDecoder();
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) {
    yield* dec.push(piece as Buffer);
  }
  if (dec.pending) throw new Error(`capture ${path} ends with a truncated chunk (${dec.pending} bytes)`);
}

/** Exactly the received bytes, in order. */
export async function exportRaw(capturePath: string, dest: string): Promise<number> {
  const out = await open(dest, 'w');
  let n = 0;
  try {
    for await (const c of readCapture(capturePath)) {
      if (c.dir !== 'rx') continue;
      await out.write(c.bytes);
      n += c.bytes.length;
    }
  } finally {
    await out.close();
  }
  return n;
}

const iso = (tsNs: bigint) => {
  const ms = Number(tsNs / 1_000_000n);
  return new Date(ms).toISOString().replace(/\.\d+Z$/, `.${(tsNs % 1_000_000_000n).toString().padStart(9, '0')}Z`);
};

/** Received text, one line per output line, each prefixed with the arrival time of its first byte; session notes as `# ...`. */
export async function exportText(capturePath: string, dest: string): Promise<number> {
  const out = await open(dest, 'w');
  const asm = new LineAssembler(1 << 16);
  let lines = 0;
  const emit = async (tsNs: bigint, text: string) => {
    await out.write(`${iso(tsNs)} ${text}\n`);
    lines++;
  };
  try {
    for await (const c of readCapture(capturePath)) {
      if (c.dir === 'note') {
        const partial = asm.flush();
        if (partial) await emit(partial.tsNs, lineText(partial.bytes));
        await emit(c.tsNs, `# ${new TextDecoder().decode(c.bytes)}`);
      } else if (c.dir === 'rx') {
        for (const l of asm.push(c.tsNs, c.bytes)) await emit(l.tsNs, lineText(l.bytes));
      }
    }
    const rest = asm.flush();
    if (rest) await emit(rest.tsNs, lineText(rest.bytes));
  } finally {
    await out.close();
  }
  return lines;
}
