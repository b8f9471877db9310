import { open, stat, type FileHandle } from 'node:fs/promises';
import type { SFTPWrapper } from 'ssh2';
import type { TransferProgress } from '../../../shared/ssh/types.js';
import { TransferCancelledError } from './errors.js';
import { sftpCall } from './remote-files.js';

/**
 * Why not ssh2's fastPut/fastGet: they always truncate the destination and cannot start at an offset or be cancelled,
 * so resume and cancel need this small pipelined copy built on ssh2's open/read/write.
 */
export interface TransferOptions {
  /** Continue a partial destination file instead of starting over. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  concurrency?: number;
  chunkSize?: number;
}

export interface TransferResult {
  bytesTotal: number;
  startOffset: number;
}

/**
 * At most this many bytes are in flight, so after an interruption everything below (destination size - window) was
 * written: pipelined writes can land out of order and leave holes only inside the last window.
 */
export const MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
const DEFAULT_CHUNK = 128 * 1024;
const DEFAULT_CONCURRENCY = 32;
const RESUME_CHECK_BYTES = 64 * 1024;

interface Side {
  size(): Promise<number | undefined>;
  dispose?(): void;
  open(mode: 'read' | 'write-new' | 'write-resume'): Promise<Endpoint>;
}

interface Endpoint {
  read(buf: Buffer, len: number, pos: number): Promise<number>;
  write(buf: Buffer, len: number, pos: number): Promise<void>;
  close(): Promise<void>;
}

function localSide(path: string): Side {
  return {
    size: () => stat(path).then((s) => s.size, notFound),
    async open(mode) {
      const fh: FileHandle = await open(path, mode === 'read' ? 'r' : mode === 'write-new' ? 'w' : 'r+');
      return {
        read: async (buf, len, pos) => (await fh.read(buf, 0, len, pos)).bytesRead,
        write: async (buf, len, pos) => {
          await fh.write(buf, 0, len, pos);
        },
        close: () => fh.close(),
      };
    },
  };
}

/** ssh2 leaves pending SFTP callbacks uncalled when the connection drops, so every call also races the channel close. */
function remoteSide(sftp: SFTPWrapper, path: string): Side {
  let onClose: () => void = () => undefined;
  const gone = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error(`${path}: connection lost during the transfer; it can be resumed`));
    sftp.once('close', onClose);
  });
  gone.catch(() => undefined);
  const guard = <T>(p: Promise<T>) => Promise.race([p, gone]);
  return {
    dispose: () => void sftp.off('close', onClose),
    size: () => guard(sftpCall<{ size: number }>((cb) => sftp.stat(path, cb))).then((s) => s.size, notFound),
    async open(mode) {
      const flags = mode === 'read' ? 'r' : mode === 'write-new' ? 'w' : 'r+';
      const handle = await guard(sftpCall<Buffer>((cb) => sftp.open(path, flags, cb)));
      return {
        read: (buf, len, pos) =>
          guard(
            new Promise<number>((resolve, reject) =>
              sftp.read(handle, buf, 0, len, pos, (err, nb) => (err ? reject(err) : resolve(nb))),
            ),
          ),
        write: (buf, len, pos) => guard(sftpCall<void>((cb) => sftp.write(handle, buf, 0, len, pos, cb))),
        close: () => guard(sftpCall<void>((cb) => sftp.close(handle, cb))),
      };
    },
  };
}

function notFound(e: { code?: unknown }): undefined {
  if (e.code === 'ENOENT' || e.code === 2) return undefined;
  throw e;
}

export function uploadFile(sftp: SFTPWrapper, localPath: string, remotePath: string, opts: TransferOptions = {}) {
  return copy(localSide(localPath), remoteSide(sftp, remotePath), `${localPath} -> ${remotePath}`, opts);
}

export function downloadFile(sftp: SFTPWrapper, remotePath: string, localPath: string, opts: TransferOptions = {}) {
  return copy(remoteSide(sftp, remotePath), localSide(localPath), `${remotePath} -> ${localPath}`, opts);
}

async function copy(from: Side, to: Side, what: string, opts: TransferOptions): Promise<TransferResult> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, MAX_IN_FLIGHT_BYTES / chunkSize));
  try {
    return await copyBetween(from, to, what, chunkSize, concurrency, opts);
  } finally {
    from.dispose?.();
    to.dispose?.();
  }
}

async function copyBetween(
  from: Side,
  to: Side,
  what: string,
  chunkSize: number,
  concurrency: number,
  opts: TransferOptions,
): Promise<TransferResult> {
  const total = await from.size();
  if (total === undefined) throw new Error(`${what}: source does not exist`);
  const src = await from.open('read');
  let dst: Endpoint | undefined;
  try {
    const existing = opts.resume ? await to.size() : undefined;
    let start = existing !== undefined && existing <= total ? Math.max(0, existing - MAX_IN_FLIGHT_BYTES) : 0;
    dst = await to.open(start > 0 ? 'write-resume' : 'write-new');
    if (start > 0 && !(await sameBytesBefore(src, dst, start))) {
      await dst.close();
      dst = await to.open('write-new');
      start = 0;
    }
    await pump(src, dst, start, total, chunkSize, concurrency, opts);
    return { bytesTotal: total, startOffset: start };
  } finally {
    await Promise.allSettled([src.close(), dst?.close()]);
  }
}

/** Guards resume against a destination that is some other file: the bytes just before the resume point must agree. */
async function sameBytesBefore(src: Endpoint, dst: Endpoint, start: number): Promise<boolean> {
  const len = Math.min(RESUME_CHECK_BYTES, start);
  const a = Buffer.alloc(len);
  const b = Buffer.alloc(len);
  const [na, nb] = await Promise.all([src.read(a, len, start - len), dst.read(b, len, start - len)]);
  return na === len && nb === len && a.equals(b);
}

async function pump(
  src: Endpoint,
  dst: Endpoint,
  start: number,
  total: number,
  chunkSize: number,
  concurrency: number,
  opts: TransferOptions,
): Promise<void> {
  const progress = progressMeter(start, total, opts.onProgress);
  let next = start;
  let failure: Error | undefined;
  const onAbort = () => (failure ??= new TransferCancelledError());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();

  const worker = async () => {
    const buf = Buffer.allocUnsafe(chunkSize);
    while (!failure && next < total) {
      const pos = next;
      const len = Math.min(chunkSize, total - pos);
      next += len;
      try {
        let got = 0;
        while (got < len) {
          const n = await src.read(buf.subarray(got), len - got, pos + got);
          if (n === 0) throw new Error(`source ended at ${pos + got} of ${total} bytes (changed during transfer?)`);
          got += n;
        }
        await dst.write(buf, len, pos);
        progress.add(len);
      } catch (e) {
        failure ??= e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  opts.signal?.removeEventListener('abort', onAbort);
  if (failure) throw failure;
  progress.finish();
}

function progressMeter(start: number, total: number, onProgress: TransferOptions['onProgress']) {
  let done = start;
  let lastEmit = 0;
  const samples: [t: number, bytes: number][] = [[Date.now(), start]];
  const emit = () => {
    const now = Date.now();
    samples.push([now, done]);
    while (samples.length > 2 && now - samples[0][0] > 3000) samples.shift();
    const [t0, b0] = samples[0];
    const bytesPerSecond = now > t0 ? ((done - b0) * 1000) / (now - t0) : 0;
    const left = total - done;
    onProgress?.({
      bytesDone: done,
      bytesTotal: total,
      startOffset: start,
      bytesPerSecond,
      etaSeconds: left === 0 ? 0 : bytesPerSecond > 0 ? left / bytesPerSecond : undefined,
    });
    lastEmit = now;
  };
  return {
    add(n: number) {
      done += n;
      if (onProgress && Date.now() - lastEmit >= 100) emit();
    },
    finish: () => onProgress && emit(),
  };
}
