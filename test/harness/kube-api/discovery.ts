/** The discovery documents: /api, /apis, /api/v1, /apis/<group>/<version> (unaggregated v1 form; client-go falls back to it). */
import { createHash } from 'node:crypto';
import { K3S_VERSION } from './objects.js';
import { groups, groupVersion, RESOURCES, type ResourceType } from './resources.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: K3S_VERSION,
  gitCommit: 'a562d0906c5c1ac2c2b1da57d4ac6c5fd4c5bb8d',
  gitTreeState: 'clean',
  buildDate: '2024-12-18T00:00:00Z',
  goVersion: 'go1.22.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const SUBRESOURCES: Record<string, { kind: string; verbs: string[]; group?: string; version?: string }> = {
  status: { kind: '', verbs: ['get', 'patch', 'update'] },
  log: { kind: 'Pod', verbs: ['get'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  eviction: { kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
  proxy: { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  scale: { kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' },
};

function apiResources(list: ResourceType[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of list) {
    out.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
      storageVersionHash: createHash('sha256').update(`${groupVersion(r)}/${r.plural}`).digest('base64').slice(0, 11),
    });
    for (const sub of r.subresources) {
      const s = SUBRESOURCES[sub];
      out.push({ name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, ...(s.group ? { group: s.group, version: s.version } : {}), kind: s.kind || r.kind, verbs: s.verbs });
    }
  }
  return out;
}

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function groupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups().entries()].map(([name, rs]) => {
      const gv = { groupVersion: groupVersion(rs[0]), version: rs[0].version };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

export function groupDocument(group: string): Record<string, unknown> | undefined {
  const rs = groups().get(group);
  if (!rs) return undefined;
  const gv = { groupVersion: groupVersion(rs[0]), version: rs[0].version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [gv], preferredVersion: gv };
}

export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(rs[0]), resources: apiResources(rs) };
}
