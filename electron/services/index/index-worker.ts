/** Worker-thread host of a LogIndex: answers IndexClient's requests (see index-client.ts for the protocol). */
import { parentPort, workerData } from 'node:worker_threads';
import { importPaths } from './import/index.js';
import { LogIndex, type LogIndexOptions } from './log-index.js';
import type { WorkerReply, WorkerRequest } from './index-protocol.js';

const port = parentPort;
if (!port) throw new Error('index-worker must run in a worker thread');
const { dir, options } = workerData as { dir: string; options: LogIndexOptions };
const subscriptions = new Map<number, () => Promise<void>>();
const imports = new Map<number, AbortController>();

function errorOf(error: unknown): WorkerReply['error'] {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, ...('position' in e && typeof e.position === 'number' ? { position: e.position } : {}) };
}

try {
  const index = await LogIndex.open(dir, options);
  port.on('message', (request: WorkerRequest) => {
    void handle(index, request).then(
      (value) => port.postMessage({ id: request.id, value } satisfies WorkerReply),
      (error: unknown) => port.postMessage({ id: request.id, error: errorOf(error) } satisfies WorkerReply),
    );
  });
  port.postMessage({ id: 0, value: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ id: 0, error: errorOf(error) } satisfies WorkerReply);
}

async function handle(index: LogIndex, request: WorkerRequest): Promise<unknown> {
  switch (request.method) {
    case 'append':
      return index.append(...request.args);
    case 'search':
      return index.search(...request.args);
    case 'count':
      return index.count(...request.args);
    case 'histogram':
      return index.histogram(...request.args);
    case 'topValues':
      return index.topValues(...request.args);
    case 'import': {
      // Parsing runs here, beside the index, so a large import never loads the thread that serves the UI.
      const [paths, options] = request.args;
      const cancel = new AbortController();
      imports.set(request.id, cancel);
      try {
        return await importPaths(paths, index, {
          ...options,
          signal: cancel.signal,
          onProgress: (progress) => port!.postMessage({ id: 0, progress: { job: request.id, progress } } satisfies WorkerReply),
        });
      } finally {
        imports.delete(request.id);
      }
    }
    case 'cancelImport':
      imports.get(request.args[0])?.abort();
      return undefined;
    case 'stats':
      return index.stats();
    case 'flush':
      return index.flush();
    case 'subscribe': {
      const [query] = request.args;
      const unsubscribe = await index.subscribe(query, (hits) => port!.postMessage({ id: 0, tail: { subscription: request.id, hits } } satisfies WorkerReply));
      subscriptions.set(request.id, unsubscribe);
      return request.id;
    }
    case 'unsubscribe': {
      const [subscription] = request.args;
      await subscriptions.get(subscription)?.();
      subscriptions.delete(subscription);
      return undefined;
    }
    case 'close':
      for (const unsubscribe of subscriptions.values()) await unsubscribe();
      await index.close();
      return undefined;
  }
}
