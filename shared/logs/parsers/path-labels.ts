export interface PathLabels {
  pod?: string;
  container?: string;
  fields?: Record<string, string>;
}

// /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log
const POD_DIR = /(?:^|\/)pods\/([^/_]+)_([^/_]+)_[^/]+\/([^/]+)\/[^/]+$/;
// /var/log/containers/<pod>_<namespace>_<container>-<64 hex id>.log
const CONTAINER_LINK = /(?:^|\/)containers\/([^/_]+)_([^/_]+)_(.+)-([0-9a-f]{64})\.log$/;
// /var/lib/docker/containers/<id>/<id>-json.log
const DOCKER = /(?:^|\/)([0-9a-f]{64})-json\.log(?:\.\d+)?$/;

/** Kubernetes and Docker encode pod, namespace and container in their log paths. */
export function labelsFromPath(path: string): PathLabels {
  const normalized = path.replaceAll('\\', '/');
  const pod = POD_DIR.exec(normalized);
  if (pod) return { pod: pod[2], container: pod[3], fields: { namespace: pod[1]! } };
  const link = CONTAINER_LINK.exec(normalized);
  if (link) return { pod: link[1], container: link[3], fields: { namespace: link[2]! } };
  const docker = DOCKER.exec(normalized);
  if (docker) return { container: docker[1]!.slice(0, 12) };
  return {};
}
