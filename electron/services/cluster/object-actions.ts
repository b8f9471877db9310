import { dumpYaml } from '@kubernetes/client-node';
import type { ClusterObjectKind } from '../../../shared/contract/cluster.js';
import { FieldkitError } from '../../../shared/contract/errors.js';
import { clusterError } from './api-errors.js';
import type { KubeHttp } from './kube-http.js';
import { podPath } from './pod-target.js';

const RESOURCES: Record<ClusterObjectKind, { base: string; plural: string; namespaced: boolean }> = {
  Node: { base: '/api/v1', plural: 'nodes', namespaced: false },
  Namespace: { base: '/api/v1', plural: 'namespaces', namespaced: false },
  Pod: { base: '/api/v1', plural: 'pods', namespaced: true },
  Event: { base: '/api/v1', plural: 'events', namespaced: true },
  Service: { base: '/api/v1', plural: 'services', namespaced: true },
  ConfigMap: { base: '/api/v1', plural: 'configmaps', namespaced: true },
  Deployment: { base: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  DaemonSet: { base: '/apis/apps/v1', plural: 'daemonsets', namespaced: true },
  StatefulSet: { base: '/apis/apps/v1', plural: 'statefulsets', namespaced: true },
};

export interface ObjectRef {
  kind: ClusterObjectKind;
  namespace?: string;
  name: string;
}

const described = (ref: ObjectRef) => `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

function objectPath(ref: ObjectRef): string {
  const resource = RESOURCES[ref.kind];
  if (resource.namespaced && !ref.namespace) throw new FieldkitError('bad_request', `A ${ref.kind} lives in a namespace: name it.`);
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace!)}` : '';
  return `${resource.base}${ns}/${resource.plural}/${encodeURIComponent(ref.name)}`;
}

async function answered<T>(client: KubeHttp, ref: ObjectRef, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw clusterError(error, client.server, described(ref));
  }
}

/** The object as the API serves it, as YAML with sorted keys (like `kubectl get -o yaml`), managed fields left out. */
export async function objectYaml(client: KubeHttp, ref: ObjectRef): Promise<string> {
  const object = await answered(client, ref, () => client.json<{ apiVersion?: string; kind?: string; metadata?: Record<string, unknown> }>('GET', objectPath(ref)));
  if (object.metadata) delete object.metadata.managedFields;
  return dumpYaml(object, { sortKeys: true });
}

export async function deletePod(client: KubeHttp, namespace: string, name: string): Promise<void> {
  await answered(client, { kind: 'Pod', namespace, name }, () => client.json('DELETE', podPath(namespace, name)));
}

/** RFC 3339 to the second, as kubectl writes restartedAt. */
const restartedAtValue = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What `kubectl rollout restart` does: a new pod-template annotation, so the controller rolls every pod. */
export async function rolloutRestart(client: KubeHttp, ref: ObjectRef & { kind: 'Deployment' | 'DaemonSet' | 'StatefulSet'; namespace: string }, now = new Date()): Promise<void> {
  const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAtValue(now) } } } } };
  await answered(client, ref, () => client.json('PATCH', objectPath(ref), { body: JSON.stringify(patch), contentType: 'application/strategic-merge-patch+json' }));
}
