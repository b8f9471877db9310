/**
 * The log index's own process: opens a LogIndex where IndexClient asks (its first message) and answers its requests
 * (see index-client.ts). Started by Electron's utilityProcess in the app, by Node's fork in browser mode and the CLI.
 */
import { importPaths } from './import/index.js';
import { LogIndex } from './log-index.js';
import type { IndexReply, IndexRequest } from './index-protocol.js';

interface ParentChannel {
  send(reply: IndexReply): void;
  onMessage(listener: (request: IndexRequest) => void): void;
}

/** Electron gives a utility process `process.parentPort`; Node gives a forked one `process.send`. */
function parentChannel(): ParentChannel {
  const electronPort = (process as { parentPort?: { postMessage(value: unknown): void; on(event: 'message', listener: (event: { data: IndexRequest }) => void): void } }).parentPort;
  if (electronPort) return { send: (reply) => electronPort.postMessage(reply), onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)) };
  if (!process.send) throw new Error('index-process must be started by IndexClient');
  // without its client the process has no one to answer: what was acknowledged is already in the WAL
  process.once('disconnect', () => process.exit(0));
  return { send: (reply) => void process.send!(reply), onMessage: (listener) => void process.on('message', listener) };
}

const port = parentChannel();
const subscriptions = new Map<number, () => Promise<void>>();
const imports = new Map<number, AbortController>();
let opened: Promise<LogIndex> | undefined;

function errorOf(error: unknown): IndexReply['error'] {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, ...('position' in e && typeof e.position === 'number' ? { position: e.position } : {}) };
}

port.onMessage((request) => {
  void answer(request).then(
    (value) => port.send({ id: request.id, value }),
    (error: unknown) => port.send({ id: request.id, error: errorOf(error) }),
  );
});

async function answer(request: IndexRequest): Promise<unknown> {
  if (request.method === 'open') {
    opened = LogIndex.open(...request.args);
    await opened;
    return 'ready';
  }
  if (!opened) throw new Error(`${request.method} before open`);
  return handle(await opened, request);
}

async function handle(index: LogIndex, request: Exclude<IndexRequest, { method: 'open' }>): Promise<unknown> {
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
          onProgress: (progress) => port.send({ id: 0, progress: { job: request.id, progress } }),
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
      const unsubscribe = await index.subscribe(query, (hits) => port.send({ id: 0, tail: { subscription: request.id, hits } }));
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
