import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeStatus, ObjectMeta, WatchEvent } from '../../../shared/cluster/kube-objects.js';
import { backoffDelayMs, type BackoffOptions } from '../../../shared/ssh/backoff.js';
import { isGone, isUnreachable } from './api-errors.js';
import { KubeApiError, type KubeHttp } from './kube-http.js';

type Item = { metadata?: ObjectMeta };

export interface ResourceWatchListener {
  /** The complete list: after the first list and after every re-list (410 Gone). */
  listed(items: Item[]): void;
  /** ADDED, MODIFIED or DELETED. */
  changed(type: string, object: Item): void;
  /** A list or watch request was answered: this resource is in sync. */
  connected(): void;
  /** A request failed; the loop retries with backoff. */
  failed(error: unknown): void;
}

export interface ResourceWatchOptions {
  /** The client to use for the next attempt (a kubeconfig re-read, a tunnel checked). */
  connect: () => Promise<KubeHttp>;
  /** The collection, e.g. `/api/v1/pods` or `/api/v1/namespaces/shop/events`. */
  path: string;
  /** Only the objects these fields select, e.g. `spec.nodeName=gw-1`. */
  fieldSelector?: string;
  listener: ResourceWatchListener;
  signal: AbortSignal;
  backoff?: Partial<BackoffOptions>;
  pageSize?: number;
  /** Asked of the server per watch request; the client gives up on a silent connection a while after. */
  timeoutSeconds?: number;
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: Item[];
}

/** A quick end of a watch without a single event is treated like a failure, so a misbehaving server cannot make us spin. */
const MIN_HEALTHY_WATCH_MS = 1000;

export async function listAll(
  client: KubeHttp,
  path: string,
  pageSize: number,
  signal?: AbortSignal,
  selector: Record<string, string> = {},
): Promise<{ items: Item[]; resourceVersion: string }> {
  const items: Item[] = [];
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const query = new URLSearchParams({ ...selector, limit: String(pageSize), ...(token && { continue: token }) });
    const page = await client.json<ListPage>('GET', `${path}?${query}`, { signal, idleTimeoutMs: 60_000 });
    items.push(...(page.items ?? []));
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    token = page.metadata?.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}

/**
 * List, then watch from the list's resourceVersion with bookmarks, forever: a watch the server ends or that drops
 * resumes from the last resourceVersion seen; 410 Gone (history compacted) re-lists; any failure backs off
 * exponentially and tries again, until the signal aborts.
 */
export async function runResourceWatch(opts: ResourceWatchOptions): Promise<void> {
  const { listener, signal, path } = opts;
  const backoff: BackoffOptions = { baseMs: opts.backoff?.baseMs ?? 250, maxMs: opts.backoff?.maxMs ?? 5000, random: opts.backoff?.random ?? Math.random };
  const timeoutSeconds = opts.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
  const selector: Record<string, string> = opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {};
  let resourceVersion: string | undefined;
  let attempt = 0;
  let streaming = false;
  while (!signal.aborted) {
    try {
      const client = await opts.connect();
      if (resourceVersion === undefined) {
        const list = await listAll(client, path, opts.pageSize ?? 500, signal, selector);
        resourceVersion = list.resourceVersion;
        listener.listed(list.items);
        listener.connected();
        attempt = 0;
      }
      const query = new URLSearchParams({ ...selector, watch: '1', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds) });
      const started = Date.now();
      let events = 0;
      streaming = false;
      await client.lines(
        `${path}?${query}`,
        (line) => {
          if (!line.trim()) return;
          const event = JSON.parse(line) as WatchEvent<Item>;
          if (event.type === 'ERROR') {
            const status = event.object as KubeStatus;
            throw new KubeApiError(status.code ?? 500, status);
          }
          events++;
          resourceVersion = event.object?.metadata?.resourceVersion || resourceVersion;
          if (event.type !== 'BOOKMARK') listener.changed(event.type, event.object);
        },
        {
          signal,
          idleTimeoutMs: (timeoutSeconds + 60) * 1000,
          onOpen: () => {
            listener.connected();
            attempt = 0;
            streaming = true;
          },
        },
      );
      if (events === 0 && Date.now() - started < MIN_HEALTHY_WATCH_MS) await sleep(backoffDelayMs(++attempt, backoff), undefined, { signal });
    } catch (error) {
      if (signal.aborted) return;
      if (isGone(error)) {
        resourceVersion = undefined;
        continue;
      }
      if (streaming && isUnreachable(error)) {
        // An open watch that broke: resume at once; only a failing reconnect counts as being offline.
        streaming = false;
        continue;
      }
      listener.failed(error);
      await sleep(backoffDelayMs(++attempt, backoff), undefined, { signal }).catch(() => undefined);
    }
  }
}
