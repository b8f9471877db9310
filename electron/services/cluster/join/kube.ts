import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeNode } from '../../../../shared/cluster/kube-objects.js';
import { nodeReady } from '../../../../shared/cluster/node-view.js';
import { KubeHttp, readBody } from '../kube-http.js';
import { runResourceWatch } from '../resource-watch.js';

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

export async function listNodes(kc: KubeConfig): Promise<{ nodes: KubeNode[]; date: string | undefined }> {
  const res = await kubeOk(kc, 'GET', '/api/v1/nodes');
  return { nodes: (res.body as { items?: KubeNode[] }).items ?? [], date: res.date };
}

export interface NodeRef {
  name: string;
  uid: string;
}

const refOf = (n: KubeNode): NodeRef => ({ name: n.metadata?.name ?? '', uid: n.metadata?.uid ?? '' });

/** Resolves with the name of the first Ready node `matches` accepts, watching the nodes until one is (or the signal aborts). */
export async function waitForReadyNode(kc: KubeConfig, matches: (node: NodeRef) => boolean, signal: AbortSignal): Promise<string> {
  const found = new AbortController();
  let name: string | undefined;
  const check = (node: KubeNode) => {
    if (name === undefined && matches(refOf(node)) && nodeReady(node) === 'True') {
      name = node.metadata!.name!;
      found.abort();
    }
  };
  await runResourceWatch({
    connect: async () => new KubeHttp(kc),
    path: '/api/v1/nodes',
    signal: AbortSignal.any([signal, found.signal]),
    listener: {
      listed: (items) => items.forEach(check),
      changed: (type, node) => type !== 'DELETED' && check(node),
      connected: () => {},
      failed: () => {},
    },
  });
  if (name === undefined) throw new Error('cancelled');
  return name;
}
