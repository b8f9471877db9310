/**
 * ThreadedBlockEncoder: the index's thread and one block-encoder worker encode a segment's blocks side by side, so
 * that sealing uses both cores. A block goes to the worker while it has fewer than MAX_POSTED blocks waiting, else
 * it is encoded here (the worker gets most of them, and the index's thread stays free for appends); writeSegment yields between blocks so that the worker's replies
 * come in. The worker starts with the first block and stops after `idleMs` without one (its heap is not kept for an
 * index that is only read); if it fails, its blocks, and all later ones, are encoded here.
 */
import { Worker } from 'node:worker_threads';
import { blockInput, LocalBlockEncoder, type BlockEncoder, type BlockInput, type EncodedBlock } from './block-encoder.js';
import type { SealColumns } from './segment-format.js';
import { workerEntry } from './worker-entry.js';

export type EncoderReply = { id: number; encoded: EncodedBlock; error?: undefined } | { id: number; error: string; encoded?: undefined };

const MAX_POSTED = 4;

interface Posted {
  input: BlockInput;
  resolve: (block: EncodedBlock) => void;
  reject: (error: Error) => void;
}

export class ThreadedBlockEncoder implements BlockEncoder {
  private readonly local = new LocalBlockEncoder();
  private worker: Worker | null = null;
  private failed = false;
  private readonly posted = new Map<number, Posted>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs = 30_000) {}

  encode(rows: SealColumns, start: number, end: number): Promise<EncodedBlock> {
    if (this.failed || this.posted.size >= MAX_POSTED) return this.local.encode(rows, start, end);
    const input = blockInput(rows, start, end, true);
    const worker = this.started();
    const id = this.nextId++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.posted.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.posted.set(id, { input, resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    this.failed = true;
    await this.retire();
  }

  private async retire(): Promise<void> {
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
    // a retired worker's exit is expected; only the current one's means it failed
    worker.on('error', () => worker === this.worker && this.fallBack());
    worker.on('exit', () => worker === this.worker && this.fallBack());
    this.worker = worker;
    return worker;
  }

  private onReply(reply: EncoderReply): void {
    const posted = this.posted.get(reply.id);
    if (!posted) return;
    this.posted.delete(reply.id);
    if (this.posted.size === 0 && this.worker) {
      this.worker.unref();
      this.idleTimer = setTimeout(() => void this.retire(), this.idleMs).unref();
    }
    if (reply.error !== undefined) posted.reject(new Error(`block encoder: ${reply.error}`));
    else posted.resolve(reply.encoded);
  }

  /** The worker is gone (crashed, out of memory, terminated): its blocks, and all later ones, are encoded here. */
  private fallBack(): void {
    this.failed = true;
    this.worker = null;
    for (const [id, posted] of this.posted) {
      this.posted.delete(id);
      try {
        posted.resolve(this.local.encodeInput(posted.input));
      } catch (error) {
        posted.reject(error as Error);
      }
    }
  }
}
