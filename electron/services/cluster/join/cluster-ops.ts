import type { KubeConfig } from '@kubernetes/client-node';
import type { KubePod } from '../../../../shared/cluster/kube-objects.js';
import { KubeHttp } from '../kube-http.js';
import { runResourceWatch } from '../resource-watch.js';
import { kubeOk, kubeRequest } from './kube.js';

const MERGE_PATCH = 'application/merge-patch+json';

export const nodePasswordSecret = (nodeName: string) => `${nodeName}.node-password.k3s`;
const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;
const secretPath = (name: string) => `/api/v1/namespaces/kube-system/secrets/${encodeURIComponent(nodePasswordSecret(name))}`;

/** Deletes the node and its node-password secret; either may already be gone. Returns what was deleted. */
export async function deleteNodeAndPassword(kc: KubeConfig, nodeName: string): Promise<{ node: boolean; secret: boolean }> {
  const node = await kubeOk(kc, 'DELETE', nodePath(nodeName), { accept: [404] });
  const secret = await kubeOk(kc, 'DELETE', secretPath(nodeName), { accept: [404] });
  return { node: node.status !== 404, secret: secret.status !== 404 };
}

/** Pods a drain moves: not DaemonSet pods (they run everywhere) and not static (mirror) pods. */
function evictable(pod: KubePod): boolean {
  if (pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet')) return false;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return false;
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

async function podsOn(kc: KubeConfig, nodeName: string): Promise<KubePod[]> {
  const res = await kubeOk(kc, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`);
  return ((res.body as { items?: KubePod[] }).items ?? []).filter((p) => p.spec?.nodeName === nodeName);
}

const podKey = (pod: { metadata?: { name?: string; namespace?: string } }) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/** Watches the node's pods until none of `pods` is left; throws naming the ones still there after `timeoutMs`. */
async function waitUntilGone(kc: KubeConfig, nodeName: string, pods: KubePod[], opts: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
  const left = new Map(pods.map((p) => [podKey(p), p.metadata?.name ?? '']));
  const done = new AbortController();
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const gone = (key: string) => {
    left.delete(key);
    if (left.size === 0) done.abort();
  };
  let lastError: unknown;
  if (left.size > 0) {
    await runResourceWatch({
      connect: async () => new KubeHttp(kc),
      path: '/api/v1/pods',
      fieldSelector: `spec.nodeName=${nodeName}`,
      signal: AbortSignal.any([opts.signal, timeout, done.signal]),
      listener: {
        listed: (items) => {
          const present = new Set(items.map(podKey));
          for (const key of [...left.keys()]) if (!present.has(key)) gone(key);
        },
        changed: (type, pod) => type === 'DELETED' && gone(podKey(pod)),
        connected: () => (lastError = undefined),
        failed: (error) => (lastError = error),
      },
    });
  }
  if (left.size === 0) return;
  if (opts.signal.aborted) throw new Error('cancelled');
  const why = lastError instanceof Error ? ` (${lastError.message})` : '';
  throw new Error(`${left.size} pod(s) still on ${nodeName} after ${Math.round(opts.timeoutMs / 1000)} s${why}: ${[...left.values()].join(', ')}`);
}

/**
 * `kubectl drain --ignore-daemonsets`: cordon, evict (delete where the API has no eviction), wait until the pods are
 * gone. Returns how many pods were moved, or undefined when the node is not in the cluster.
 */
export async function drainNode(kc: KubeConfig, nodeName: string, opts: { timeoutMs: number; signal: AbortSignal }): Promise<number | undefined> {
  const cordon = await kubeOk(kc, 'PATCH', nodePath(nodeName), { body: { spec: { unschedulable: true } }, contentType: MERGE_PATCH, accept: [404] });
  if (cordon.status === 404) return undefined;
  const pods = (await podsOn(kc, nodeName)).filter(evictable);
  for (const pod of pods) {
    const { name, namespace } = pod.metadata as { name: string; namespace: string };
    const podPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    const eviction = await kubeRequest(kc, 'POST', `${podPath}/eviction`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
    });
    if (eviction.status === 404 || eviction.status === 405) await kubeOk(kc, 'DELETE', podPath, { accept: [404] });
    else if (eviction.status >= 300) throw new Error(`evicting ${namespace}/${name}: ${(eviction.body as { message?: string })?.message ?? `HTTP ${eviction.status}`}`);
  }
  await waitUntilGone(kc, nodeName, pods, opts);
  return pods.length;
}
