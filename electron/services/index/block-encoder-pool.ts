/**
 * ThreadedBlockEncoder: a segment's blocks, and then its filter area, are encoded on block-encoder worker threads (up
 * to THREADS), each given up to MAX_POSTED tasks at a time; the rest wait in order, except that a filter area goes
 * first (its segment is complete; waiting blocks belong to the next seal). The index's thread only hands tasks out and
 * assembles the segment, so it stays free for appends and queries while a seal runs: sealing is bound by the CPU of
 * both cores, and work on the index's thread would hold up every append behind it. A worker starts when there is a
 * task for it and stops after `idleMs` without one (an index that is only read keeps no extra heaps). If a worker
 * fails, its tasks, and all later ones, are done on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { blockInput, LocalBlockEncoder, type BlockEncoder, type BlockInput, type EncodedBlock } from './block-encoder.js';
import { encodeFilterArea, type BlockFilterParts, type FilterArea } from './filter-area.js';
import type { SealColumns } from './segment-format.js';
import { workerEntry } from './worker-entry.js';

/** A block to encode, or a segment's blocks' filters to build its filter area from. */
export type EncoderTask = { block: BlockInput; filters?: undefined } | { filters: readonly BlockFilterParts[]; block?: undefined };
export type EncoderRequest = EncoderTask & { id: number };
export type EncoderReply = { id: number; result: EncodedBlock | FilterArea; error?: undefined } | { id: number; error: string; result?: undefined };

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

/** A task waiting for, or posted to, a worker. */
interface Job {
  /** The task to post, and the buffers it moves to the worker. */
  task(): { task: EncoderTask; transfer: ArrayBuffer[] };
  /** Settles the job with the worker's reply. */
  settle(reply: EncoderReply): void;
  /** Does the task on the calling thread instead, and settles the job. */
  runHere(local: LocalBlockEncoder): void;
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
    const { task, transfer } = job.task();
    worker.postMessage({ id, ...task } satisfies EncoderRequest, transfer);
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
    job.settle(reply);
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
    return this.submit(
      () => {
        // the input's arrays are its own: moved, not copied (a lost worker's blocks are cut again from the rows)
        const block = blockInput(rows, start, end, true);
        return { task: { block }, transfer: [block.ts, block.stream, block.level, block.messages, block.lengths].map((array) => array.buffer as ArrayBuffer) };
      },
      (local) => local.encodeInput(blockInput(rows, start, end, false)),
      'last',
    );
  }

  filterArea(blocks: readonly BlockFilterParts[]): Promise<FilterArea> {
    // copied, not moved: a lost worker's job is done again here
    return this.submit(
      () => ({ task: { filters: blocks }, transfer: [] }),
      () => encodeFilterArea(blocks),
      'first',
    );
  }

  async close(): Promise<void> {
    this.failed = true;
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }

  private localEncoder(): LocalBlockEncoder {
    return (this.local ??= new LocalBlockEncoder());
  }

  /** Queues a task for the workers (or does it here once a worker has failed). */
  private submit<T extends EncodedBlock | FilterArea>(task: Job['task'], here: (local: LocalBlockEncoder) => T, place: 'first' | 'last'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        task,
        settle: (reply) => (reply.error !== undefined ? reject(new Error(`block encoder: ${reply.error}`)) : resolve(reply.result as T)),
        runHere: (local) => {
          try {
            resolve(here(local));
          } catch (error) {
            reject(error as Error);
          }
        },
      };
      if (this.failed) job.runHere(this.localEncoder());
      else {
        if (place === 'first') this.waiting.unshift(job);
        else this.waiting.push(job);
        this.dispatch();
      }
    });
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
    for (const job of [...jobs, ...this.waiting.splice(0)]) job.runHere(this.localEncoder());
  }
}
