/** The resource types the test server serves, with what discovery and kubectl need to know about each. */

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resource(group: string, version: string, kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceType> = {}): ResourceType {
  return { group, version, kind, plural, namespaced, singular: kind.toLowerCase(), shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [], ...extra };
}

export const RESOURCES: ResourceType[] = [
  resource('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['status'] }),
  resource('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: ['status', 'proxy'] }),
  resource('', 'v1', 'Pod', 'pods', true, { shortNames: ['po'], categories: ['all'], subresources: ['status', 'log', 'exec', 'portforward', 'eviction', 'attach'] }),
  resource('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  resource('', 'v1', 'Secret', 'secrets', true),
  resource('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  resource('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
  resource('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  resource('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'], subresources: ['status'] }),
  resource('apps', 'v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'] }),
  resource('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  resource('events.k8s.io', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  resource('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], subresources: ['status'] }),
];

export function groupVersion(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function groups(): Map<string, ResourceType[]> {
  const byGroup = new Map<string, ResourceType[]>();
  for (const r of RESOURCES) {
    if (!r.group) continue;
    byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  }
  return byGroup;
}
