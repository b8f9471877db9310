/**
 * IndexClient: the log index hosted in a process of its own (index-process.ts), with the same API as LogIndex
 * (LogIndexApi).
 *
 *   const index = await IndexClient.open(join(dataDir, 'index'));
 *   await index.append(records);                       // resolves when durable
 *   const page = await index.search('level>=warn', { limit: 200 });
 *   const stop = await index.subscribe('device:gw-17', (hits) => …);
 *   await index.close();                                // seals unsealed records, ends the worker
 *
 * Errors keep their name and message (QuerySyntaxError also its `position`). If the worker dies, every pending and
 * later call rejects.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogRecord } from '../../../shared/logs/record.js';
import type { HistogramOptions, Histogram, IndexStats, LogIndexApi, LogIndexOptions, QueryOptions, SearchOptions, SearchPage, TailListener, TopValue } from './log-index.js';
import type { IndexReply, IndexRequest } from './index-protocol.js';
import type { ImportOptions, ImportProgress, ImportReport } from './import/index.js';
import { forkIndexProcess, INDEX_PROCESS_ENV, type IndexProcess, type LaunchIndexProcess } from './index-process-launch.js';
import { workerEntry } from './worker-entry.js';

type Method = IndexRequest['method'];
type ArgsOf<M extends Method> = Extract<IndexRequest, { method: M }>['args'];

/** Where a data folder keeps its log index. */
export const indexDirOf = (dataDir: string) => join(dataDir, 'index');

export class IndexClient implements LogIndexApi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<number, TailListener>();
  private readonly progressListeners = new Map<number, (progress: ImportProgress) => void>();
  private failure: Error | null = null;

  private readonly exited: Promise<void>;

  private constructor(private readonly child: IndexProcess) {
    child.onMessage((reply) => this.onReply(reply));
    this.exited = new Promise((resolve) =>
      child.onExit((reason) => {
        this.fail(new Error(`index process exited (${reason})`));
        resolve();
      }),
    );
  }

  static async open(dir: string, options: Omit<LogIndexOptions, 'nowNs'> = {}, launch: LaunchIndexProcess = forkIndexProcess): Promise<IndexClient> {
    const [entry, extra] = workerEntry('index-process');
    const env = { ...(process.env as Record<string, string>), ...INDEX_PROCESS_ENV };
    const client = new IndexClient(launch(fileURLToPath(entry), { env, execArgv: extra.execArgv ?? [] }));
    const ready = new Promise<void>((resolve, reject) => {
      client.pending.set(0, { resolve: () => resolve(), reject });
    });
    client.child.send({ id: 0, method: 'open', args: [dir, options] });
    try {
      await ready;
    } catch (error) {
      client.child.kill();
      throw error;
    }
    return client;
  }

  append(records: readonly LogRecord[]): Promise<void> {
    return this.call('append', [records]) as Promise<void>;
  }

  search(query: string, options?: SearchOptions): Promise<SearchPage> {
    return this.call('search', [query, options]) as Promise<SearchPage>;
  }

  count(query: string, options?: QueryOptions): Promise<number> {
    return this.call('count', [query, options]) as Promise<number>;
  }

  histogram(query: string, options?: HistogramOptions): Promise<Histogram> {
    return this.call('histogram', [query, options]) as Promise<Histogram>;
  }

  topValues(query: string, field: string, options?: QueryOptions & { limit?: number }): Promise<TopValue[]> {
    return this.call('topValues', [query, field, options]) as Promise<TopValue[]>;
  }

  async subscribe(query: string, listener: TailListener): Promise<() => Promise<void>> {
    const id = this.nextId;
    this.listeners.set(id, listener);
    try {
      await this.call('subscribe', [query]);
    } catch (error) {
      this.listeners.delete(id);
      throw error;
    }
    return async () => {
      this.listeners.delete(id);
      if (!this.failure) await this.call('unsubscribe', [id]);
    };
  }

  /** Imports files, folders and bundles with the parsers running in the index's process. */
  async importPaths(paths: readonly string[], { signal, onProgress, ...options }: ImportOptions = {}): Promise<ImportReport> {
    const id = this.nextId;
    if (onProgress) this.progressListeners.set(id, onProgress);
    const cancel = () => void this.call('cancelImport', [id]).catch(() => {});
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const report = this.call('import', [paths, options]) as Promise<ImportReport>;
      if (signal?.aborted) cancel();
      return await report;
    } finally {
      this.progressListeners.delete(id);
      signal?.removeEventListener('abort', cancel);
    }
  }

  stats(): Promise<IndexStats> {
    return this.call('stats', []) as Promise<IndexStats>;
  }

  flush(): Promise<void> {
    return this.call('flush', []) as Promise<void>;
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.call('close', []);
    this.failure = new Error('index is closed');
    this.child.kill();
    await this.exited;
  }

  private call<M extends Method>(method: M, args: ArgsOf<M>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, method, args } as IndexRequest);
    });
  }

  private onReply(reply: IndexReply): void {
    if (reply.tail) {
      this.listeners.get(reply.tail.subscription)?.(reply.tail.hits);
      return;
    }
    if (reply.progress) {
      this.progressListeners.get(reply.progress.job)?.(reply.progress.progress);
      return;
    }
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.error) {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      if (reply.error.position !== undefined) Object.assign(error, { position: reply.error.position });
      waiter.reject(error);
    } else waiter.resolve(reply.value);
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
