/**
 * Reads sealed chunks back from segment files on demand, so that persisted chunks need not stay in memory.
 * File descriptors are opened lazily; beyond `maxOpen` the least recently used one is closed.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface ChunkLocation {
  file: string;
  /** Byte offset of the chunk in the file, and its length. */
  offset: number;
  length: number;
}

export class SegmentFiles {
  /** path → fd, least recently used first. */
  private readonly fds = new Map<string, number>();

  constructor(private readonly maxOpen = 16) {}

  read({ file, offset, length }: ChunkLocation): Uint8Array {
    const fd = this.fd(file);
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const n = readSync(fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`telemetry segment ${file} ends before byte ${offset + length}`);
      done += n;
    }
    return out;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private fd(file: string): number {
    let fd = this.fds.get(file);
    if (fd !== undefined) this.fds.delete(file);
    else {
      fd = openSync(file, 'r');
      if (this.fds.size >= this.maxOpen) {
        const [oldest, oldFd] = this.fds.entries().next().value!;
        closeSync(oldFd);
        this.fds.delete(oldest);
      }
    }
    this.fds.set(file, fd);
    return fd;
  }
}
