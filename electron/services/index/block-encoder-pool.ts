/**
 * ThreadedBlockEncoder: a segment's blocks are encoded on block-encoder worker threads (up to THREADS), each given up
 * to MAX_POSTED blocks at a time; the rest wait in order. The index's thread only hands blocks out and assembles the
 * segment, so it stays free for appends and queries while a seal runs: sealing is bound by the CPU of both cores, and
 * a block encoded on the index's thread would hold up every append behind it. A worker starts when there is a block
 * for it and stops after `idleMs` without one (an index that is only read keeps no extra heaps). If a worker fails,
 * its blocks, and all later ones, are encoded on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { blockInput, LocalBlockEncoder, type BlockEncoder, type EncodedBlock } from './block-encoder.js';
import type { SealColumns } from './segment-format.js';
import { workerEntry } from './worker-entry.js';

export type EncoderReply = { id: number; encoded: EncodedBlock; error?: undefined } | { id: number; error: string; encoded?: undefined };

const THREADS = 2;
const MAX_POSTED = 2;

/**
 * A process's first detached ArrayBuffer (the pool transfers each block's arrays) tells V8 that buffers can now be
 * detached, and every function it optimised for typed arrays until then is deoptimised and compiled again: the
 * appends' encoding, the seal's column code, Buffer's readers. Detaching a throwaway buffer when the pool is loaded
 * does that before they are optimised. Measured on the 1M-line ingest: 2–3 % more lines/s.
 */
const spare = new ArrayBuffer(0);
structuredClone(spare, { transfer: [spare] });

/** Rows [start, end) of `rows`, to encode as one block. */
interface Job {
  rows: SealColumns;
  start: number;
  end: number;
  resolve: (block: EncodedBlock) => void;
  reject: (error: Error) => void;
}

/** One worker thread and the blocks posted to it. */
class EncoderThread {
  readonly posted = new Map<number, Job>();
  private worker: Worker | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly idleMs: number,
    private readonly onFree: () => void,
    private readonly onLost: (jobs: Job[]) => void,
  ) {}

  post(job: Job): void {
    const worker = this.started();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.posted.size === 0) worker.ref();
    const id = this.nextId++;
    this.posted.set(id, job);
    // the input's arrays are its own: moved, not copied (a lost worker's blocks are cut again from the rows); shared
    // messages are not moved but seen by both threads
    const input = blockInput(job.rows, job.start, job.end, true);
    const owned = [input.ts, input.stream, input.level, input.messages, input.lengths].map((array) => array.buffer).filter((buffer) => !(buffer instanceof SharedArrayBuffer));
    worker.postMessage({ id, input }, owned as ArrayBuffer[]);
  }

  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const [entry, extra] = workerEntry('block-encoder-worker');
    const worker = new Worker(entry, extra);
    worker.on('message', (reply: EncoderReply) => this.onReply(reply));
    // a stopped worker's exit is expected; only the current one's means it failed
    worker.on('error', () => worker === this.worker && this.lost());
    worker.on('exit', () => worker === this.worker && this.lost());
    this.worker = worker;
    return worker;
  }

  private onReply(reply: EncoderReply): void {
    const job = this.posted.get(reply.id);
    if (!job) return;
    this.posted.delete(reply.id);
    if (this.posted.size === 0 && this.worker) {
      this.worker.unref();
      this.idleTimer = setTimeout(() => void this.stop(), this.idleMs).unref();
    }
    if (reply.error !== undefined) job.reject(new Error(`block encoder: ${reply.error}`));
    else job.resolve(reply.encoded);
    this.onFree();
  }

  private lost(): void {
    this.worker = null;
    const jobs = [...this.posted.values()];
    this.posted.clear();
    this.onLost(jobs);
  }
}

export class ThreadedBlockEncoder implements BlockEncoder {
  /** The calling thread's encoder, made only once a worker has failed (its WebAssembly is compiled then). */
  private local: LocalBlockEncoder | null = null;
  private readonly threads: EncoderThread[];
  private readonly waiting: Job[] = [];
  private failed = false;

  constructor(idleMs = 30_000) {
    this.threads = Array.from({ length: THREADS }, () => new EncoderThread(idleMs, () => this.dispatch(), (jobs) => this.fallBack(jobs)));
  }

  encode(rows: SealColumns, start: number, end: number): Promise<EncodedBlock> {
    if (this.failed) return this.localEncoder().encode(rows, start, end);
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, start, end, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.failed = true;
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }

  private localEncoder(): LocalBlockEncoder {
    return (this.local ??= new LocalBlockEncoder());
  }

  /** Posts waiting blocks to the least busy thread with room, starting threads in order as they are needed. */
  private dispatch(): void {
    while (this.waiting.length > 0 && !this.failed) {
      let best: EncoderThread | null = null;
      for (const thread of this.threads) {
        if (thread.posted.size < MAX_POSTED && (best === null || thread.posted.size < best.posted.size)) best = thread;
        if (thread.posted.size === 0) break;
      }
      if (best === null) return;
      best.post(this.waiting.shift()!);
    }
  }

  /** A worker is gone (crashed, out of memory, terminated): its blocks, and all later ones, are encoded here. */
  private fallBack(jobs: Job[]): void {
    this.failed = true;
    for (const job of [...jobs, ...this.waiting.splice(0)]) {
      try {
        job.resolve(this.localEncoder().encodeInput(blockInput(job.rows, job.start, job.end, false)));
      } catch (error) {
        job.reject(error as Error);
      }
    }
  }
}
