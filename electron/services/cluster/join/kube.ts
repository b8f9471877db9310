import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { KubeNode } from '../../../../shared/cluster/kube-objects.js';
import { KubeHttp, readBody } from '../kube-http.js';

/** The few API calls the join needs, with the response's `Date` header (the server's clock) and status kept. */
export interface KubeResponse {
  status: number;
  date: string | undefined;
  body: unknown;
}

export async function kubeRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  opts: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
): Promise<KubeResponse> {
  const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const res = await new KubeHttp(kc).open(method, path, {
    body: data,
    contentType: data === undefined ? undefined : (opts.contentType ?? 'application/json'),
    idleTimeoutMs: opts.timeoutMs ?? 15_000,
  });
  const text = await readBody(res);
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.statusCode ?? 0, date: res.headers.date, body };
}

/** Throws the API's own message for anything but the accepted statuses. */
export async function kubeOk(kc: KubeConfig, method: string, path: string, opts: Parameters<typeof kubeRequest>[3] & { accept?: number[] } = {}): Promise<KubeResponse> {
  const res = await kubeRequest(kc, method, path, opts);
  if ((res.status >= 200 && res.status < 300) || opts.accept?.includes(res.status)) return res;
  const message = (res.body as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`;
  throw new Error(`${method} ${path}: ${message}`);
}

export async function listNodes(kc: KubeConfig): Promise<{ nodes: KubeNode[]; date: string | undefined; resourceVersion: string | undefined }> {
  const res = await kubeOk(kc, 'GET', '/api/v1/nodes');
  const body = res.body as { items?: KubeNode[]; metadata?: { resourceVersion?: string } };
  return { nodes: body.items ?? [], date: res.date, resourceVersion: body.metadata?.resourceVersion };
}

const isReady = (node: KubeNode) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

export interface NodeRef {
  name: string;
  uid: string;
}

const refOf = (n: KubeNode): NodeRef => ({ name: n.metadata?.name ?? '', uid: n.metadata?.uid ?? '' });

/**
 * Resolves with the name of the first Ready node `matches` accepts: list, then watch from that list's
 * resourceVersion; a dropped or expired watch lists again.
 */
export async function waitForReadyNode(kc: KubeConfig, matches: (node: NodeRef) => boolean, signal: AbortSignal): Promise<string> {
  while (!signal.aborted) {
    const listed = await listNodes(kc).catch(() => undefined);
    const ready = listed?.nodes.find((n) => matches(refOf(n)) && isReady(n));
    if (ready) return ready.metadata!.name!;
    if (listed) {
      const found = await watchUntilReady(kc, matches, listed.resourceVersion, signal);
      if (found) return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('cancelled');
}

async function watchUntilReady(kc: KubeConfig, matches: (node: NodeRef) => boolean, resourceVersion: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    let controller: AbortController | undefined;
    const finish = (name: string | undefined) => {
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      resolve(name);
    };
    const onAbort = () => finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    new Watch(kc)
      .watch(
        '/api/v1/nodes',
        { allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
        (phase, node: KubeNode) => {
          if (phase !== 'DELETED' && node && matches(refOf(node)) && isReady(node)) finish(node.metadata!.name!);
        },
        () => finish(undefined),
      )
      .then(
        (c) => {
          controller = c;
          if (signal.aborted) c.abort();
        },
        () => finish(undefined),
      );
  });
}
