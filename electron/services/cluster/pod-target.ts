import type { KubePod } from '../../../shared/cluster/kube-objects.js';
import { FieldkitError } from '../../../shared/contract/errors.js';
import { clusterError } from './api-errors.js';
import type { KubeHttp } from './kube-http.js';

export const podPath = (namespace: string, pod: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;

export interface PodTarget {
  pod: KubePod;
  container: string;
}

/** The pod and the container meant: the one named, else the pod's default-container annotation, else its first (as kubectl picks). */
export async function resolvePodTarget(client: KubeHttp, namespace: string, name: string, container?: string): Promise<PodTarget> {
  let pod: KubePod;
  try {
    pod = await client.json<KubePod>('GET', podPath(namespace, name));
  } catch (error) {
    throw clusterError(error, client.server, `Pod ${namespace}/${name}`);
  }
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name).filter((n): n is string => Boolean(n));
  const chosen = container ?? pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0];
  if (!chosen || !names.includes(chosen)) {
    throw new FieldkitError('bad_request', `Pod ${namespace}/${name} has no container "${chosen ?? ''}".`, `Its containers: ${names.join(', ') || 'none'}.`);
  }
  return { pod, container: chosen };
}
