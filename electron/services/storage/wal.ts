/**
 * WriteAheadLog: durable, append-only log of checksummed frames with group commit.
 *
 * On disk: `<dir>/<name>-<generation>.wal` files (generation = zero-padded counter). Each frame is
 *   u32le payload length | u32le CRC-32 of the payload | payload bytes
 *
 *   const { wal, frames, repairs } = await WriteAheadLog.open(dir, { name: 'wal', firstGeneration });
 *   for (const frame of frames) apply(frame.payload);   // every intact frame of every live generation, in order
 *   await wal.append(payload);        // resolves only once the frame is written and fsync'ed. Concurrent appends
 *                                     // are batched into one write + one fdatasync (group commit).
 *   const sealed = wal.rotate();      // later appends go to a new generation; returns the generation just closed
 *   await wal.dropThrough(sealed);    // checkpoint: once everything up to `sealed` is durable elsewhere
 *   await wal.close();                // waits for pending appends
 *
 * Replay stops at the first torn or corrupt frame of a file and truncates the file there (a crash mid-write leaves
 * at most an unacknowledged tail); `repairs` says which files lost how many bytes. Only one process may open a dir.
 */
import { crc32 } from 'node:zlib';
import { mkdir, open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, removeDurably } from './atomic-file.js';

export const FRAME_HEADER_BYTES = 8;
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export interface WalFrame {
  generation: number;
  payload: Buffer;
}

export interface WalRepair {
  file: string;
  /** Bytes cut off the end of the file: a torn or corrupt tail. */
  truncatedBytes: number;
  reason: string;
}

export interface WalOpenResult {
  wal: WriteAheadLog;
  frames: WalFrame[];
  repairs: WalRepair[];
}

interface PendingFrame {
  generation: number;
  /** The frame's header and its payload, written as they are (not copied together). */
  parts: [Buffer, Uint8Array];
  resolve: () => void;
  reject: (error: Error) => void;
}

export function encodeFrame(payload: Uint8Array): Buffer {
  return Buffer.concat([frameHeader(payload), payload]);
}

/** A frame's header: its payload's length and CRC-32. */
function frameHeader(payload: Uint8Array): Buffer {
  if (payload.length > MAX_FRAME_BYTES) throw new RangeError(`WAL frame of ${payload.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return header;
}

/** Splits a file's bytes into intact frames; `validBytes` is where the first torn/corrupt frame starts. */
export function decodeFrames(bytes: Buffer): { payloads: Buffer[]; validBytes: number; reason?: string } {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < FRAME_HEADER_BYTES) return { payloads, validBytes: offset, reason: 'torn frame header' };
    const length = bytes.readUInt32LE(offset);
    if (length > MAX_FRAME_BYTES) return { payloads, validBytes: offset, reason: 'implausible frame length' };
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) return { payloads, validBytes: offset, reason: 'torn frame payload' };
    const payload = bytes.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== bytes.readUInt32LE(offset + 4)) return { payloads, validBytes: offset, reason: 'checksum mismatch' };
    payloads.push(payload);
    offset = end;
  }
  return { payloads, validBytes: offset };
}

export class WriteAheadLog {
  private pending: PendingFrame[] = [];
  private inFlight: PendingFrame[] = [];
  private flushing: Promise<void> | null = null;
  private readonly handles = new Map<number, { handle: FileHandle; size: number }>();
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly name: string,
    private generation: number,
  ) {}

  /** `firstGeneration`: never hand out generations below it (the caller's checkpoints already cover them). */
  static async open(dir: string, options: { name?: string; firstGeneration?: number } = {}): Promise<WalOpenResult> {
    const name = options.name ?? 'wal';
    await mkdir(dir, { recursive: true });
    const generations = await listGenerations(dir, name);
    const frames: WalFrame[] = [];
    const repairs: WalRepair[] = [];
    for (const generation of generations) {
      const file = join(dir, fileName(name, generation));
      const bytes = await readFile(file);
      const { payloads, validBytes, reason } = decodeFrames(bytes);
      for (const payload of payloads) frames.push({ generation, payload });
      if (validBytes < bytes.length) {
        await truncateDurably(file, validBytes);
        repairs.push({ file, truncatedBytes: bytes.length - validBytes, reason: reason ?? 'corrupt' });
      }
    }
    const next = Math.max(options.firstGeneration ?? 1, generations.length === 0 ? 1 : generations[generations.length - 1] + 1);
    return { wal: new WriteAheadLog(dir, name, next), frames, repairs };
  }

  /** The generation new appends go to. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Resolves once the payload is durable; it must not change until then (it is written as it is, not copied). */
  append(payload: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('WAL is closed'));
    let header: Buffer;
    try {
      header = frameHeader(payload);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ generation: this.generation, parts: [header, payload], resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  rotate(): number {
    return this.generation++;
  }

  /** Deletes every generation ≤ `generation` (waits for their pending appends first). */
  async dropThrough(generation: number): Promise<void> {
    const waitsFor = (frame: PendingFrame) => frame.generation <= generation;
    while (this.flushing && (this.pending.some(waitsFor) || this.inFlight.some(waitsFor))) await this.flushing;
    for (const existing of await listGenerations(this.dir, this.name)) {
      if (existing > generation) continue;
      await this.closeHandle(existing);
      await removeDurably(join(this.dir, fileName(this.name, existing)));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    for (const generation of [...this.handles.keys()]) await this.closeHandle(generation);
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        this.inFlight = this.pending;
        this.pending = [];
        await this.writeBatch(this.inFlight);
      }
    } finally {
      this.inFlight = [];
      this.flushing = null;
    }
  }

  private async writeBatch(batch: PendingFrame[]): Promise<void> {
    let start = 0;
    while (start < batch.length) {
      const generation = batch[start].generation;
      let end = start;
      while (end < batch.length && batch[end].generation === generation) end++;
      const group = batch.slice(start, end);
      try {
        await this.writeDurably(generation, group.flatMap((frame) => frame.parts));
        for (const frame of group) frame.resolve();
      } catch (error) {
        for (const frame of group) frame.reject(error as Error);
      }
      start = end;
    }
    for (const generation of [...this.handles.keys()]) {
      if (generation < this.generation && !this.pending.some((frame) => frame.generation === generation)) {
        await this.closeHandle(generation);
      }
    }
  }

  /** A failed write is cut off again so that later frames never sit behind garbage. */
  private async writeDurably(generation: number, parts: Uint8Array[]): Promise<void> {
    const file = await this.fileFor(generation);
    try {
      const { bytesWritten } = await file.handle.writev(parts);
      const length = parts.reduce((sum, part) => sum + part.length, 0);
      if (bytesWritten !== length) throw new Error(`short WAL write: ${bytesWritten} of ${length} bytes`);
      await file.handle.datasync();
      file.size += length;
    } catch (error) {
      await file.handle.truncate(file.size).catch(() => undefined);
      throw error;
    }
  }

  private async fileFor(generation: number): Promise<{ handle: FileHandle; size: number }> {
    const existing = this.handles.get(generation);
    if (existing) return existing;
    const handle = await open(join(this.dir, fileName(this.name, generation)), 'a');
    const file = { handle, size: (await handle.stat()).size };
    await fsyncDir(this.dir);
    this.handles.set(generation, file);
    return file;
  }

  private async closeHandle(generation: number): Promise<void> {
    const file = this.handles.get(generation);
    if (!file) return;
    this.handles.delete(generation);
    await file.handle.close();
  }
}

function fileName(name: string, generation: number): string {
  return `${name}-${String(generation).padStart(10, '0')}.wal`;
}

async function listGenerations(dir: string, name: string): Promise<number[]> {
  const pattern = new RegExp(`^${name.replace(/[^a-zA-Z0-9_-]/g, '')}-(\\d{10})\\.wal$`);
  const generations: number[] = [];
  for (const entry of await readdir(dir)) {
    const match = pattern.exec(entry);
    if (match) generations.push(Number(match[1]));
  }
  return generations.sort((a, b) => a - b);
}

async function truncateDurably(file: string, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
