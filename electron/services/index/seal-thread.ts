/**
 * Seals WAL batches into segment files on a worker thread, started on first use and shared by the indexes of the
 * process: on a 2-core laptop, the index's thread keeps appending and answering queries while the other core
 * tokenizes, builds filters and compresses. An idle worker does not keep the process alive. If the worker dies, the
 * pending seals reject (their records stay in the WAL) and the next seal starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { SegmentHeader } from './segment-format.js';
import { workerEntry } from './worker-entry.js';

export interface SealRequest {
  id: number;
  path: string;
  header: Omit<SegmentHeader, 'streams'>;
  payloads: Uint8Array[];
  blockRows?: number;
}

export interface SealReply {
  id: number;
  error?: string;
}

export class SealThread {
  private static instance: SealThread | null = null;

  /** The process's seal thread. */
  static shared(): SealThread {
    SealThread.instance ??= new SealThread();
    return SealThread.instance;
  }

  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  /** Writes the batches (encoded WAL payloads, copied to the worker) as a segment at `path`. */
  seal(path: string, header: Omit<SegmentHeader, 'streams'>, payloads: readonly Uint8Array[], blockRows?: number): Promise<void> {
    const worker = this.start();
    const id = this.nextId++;
    const copies = payloads.map((payload) => payload.slice());
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path, header, payloads: copies, blockRows } satisfies SealRequest, copies.map((copy) => copy.buffer));
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const [entry, extra] = workerEntry('seal-worker');
    const worker = new Worker(entry, extra);
    worker.on('message', (reply: SealReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error === undefined) waiter?.resolve();
      else waiter?.reject(new Error(`sealing failed: ${reply.error}`));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`seal worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
