/** A watch response: newline-delimited JSON events on a chunked 200, with bookmarks, timeouts and 410 as an ERROR event. */
import type { ServerResponse } from 'node:http';
import type { ObjectStore } from './store.js';
import { KubeError } from './status.js';
import type { KubeObject, StoreEvent } from './types.js';

export interface WatchRequest {
  resource: string;
  kind: string;
  apiVersion: string;
  namespace?: string;
  filter: (o: KubeObject) => boolean;
  /** `resourceVersion`; empty or "0" first replays the current objects as ADDED. */
  resourceVersion: string;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
  /** Shapes each object as the client asked (events.k8s.io, Table rows). */
  present(object: KubeObject): unknown;
}

export function serveWatch(store: ObjectStore, res: ServerResponse, w: WatchRequest, onClose: () => void): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
  const bookmark = (annotations?: Record<string, string>) =>
    write('BOOKMARK', w.present({ kind: w.kind, apiVersion: w.apiVersion, metadata: { name: '', resourceVersion: String(store.revision), ...(annotations ? { annotations } : {}) } }));
  const rv = Number(w.resourceVersion || 0);
  if (!Number.isInteger(rv) || rv < 0) {
    write('ERROR', new KubeError(400, 'BadRequest', `invalid resource version: ${w.resourceVersion}`).toStatus());
    res.end();
    onClose();
    return;
  }
  let unsubscribe: () => void = () => undefined;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    onClose();
  };
  try {
    const initial = w.sendInitialEvents || rv === 0;
    unsubscribe = store.watch(w.resource, { namespace: w.namespace, filter: w.filter, fromRevision: initial ? undefined : rv }, (e: StoreEvent) => write(e.type, w.present(e.object)));
  } catch (err) {
    write('ERROR', err instanceof KubeError ? err.toStatus() : new KubeError(500, 'InternalError', String(err)).toStatus());
    res.end();
    onClose();
    return;
  }
  if (w.sendInitialEvents && w.bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  if (w.bookmarks) timers.push(setInterval(() => bookmark(), w.bookmarkIntervalMs));
  if (w.timeoutSeconds) timers.push(setTimeout(() => res.end(), w.timeoutSeconds * 1000));
  res.once('close', close);
}
