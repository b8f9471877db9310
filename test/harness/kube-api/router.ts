/** Routes REST requests: discovery, list/watch/get/create/update/patch/delete, pods/log, pods/eviction, K3s endpoints. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, authorize, type Credentials, type Identity } from './auth.js';
import { coreVersions, groupDocument, groupList, resourceList, SERVER_VERSION } from './discovery.js';
import { intParam, isTrue, readJson, sendError, sendJson } from './http.js';
import { checkNodePassword } from './k3s.js';
import type { KubeStore } from './kube-store.js';
import { serveLogs } from './log-stream.js';
import { eventsCore, eventsV1, nodeObject, timestamp } from './objects.js';
import { applyPatch } from './patch.js';
import { findResource, groupVersion, RESOURCES, type ResourceType } from './resources.js';
import { fieldSelector, labelSelector } from './selectors.js';
import { badRequest, KubeError, notFound, statusObject } from './status.js';
import { toTable, wantsTable, type IncludeObject } from './table.js';
import type { KubeObject, Pod } from './types.js';
import { serveWatch } from './watch-stream.js';

export interface RouterOptions {
  store: KubeStore;
  credentials: Credentials;
  caBundle: string;
  serverAddress: string;
  bookmarkIntervalMs: number;
  nodeReadyDelayMs: number;
  /** How long a deleted pod stays Terminating (0: removed at once). */
  podTerminationMs: number;
  /** Signs the kubelet client certificate an agent fetches after the node-password check. */
  issueNodeCert(node: string): Promise<{ certPem: string; keyPem: string }>;
  onWatch(res: ServerResponse): () => void;
}

export interface ResourceRequest {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Parses `/api/v1/...` and `/apis/<g>/<v>/...` resource paths. */
export function parseResourcePath(path: string): ResourceRequest | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 3) [group, rest] = [parts[1], parts.slice(3)];
  else return undefined;
  const version = parts[0] === 'api' ? 'v1' : parts[2];
  if (!rest.length) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && findResource(group, version, rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = findResource(group, version, rest[0]);
  if (!resource || rest.length > 3) return undefined;
  return { resource, namespace, name: rest[1], subresource: rest[2] };
}

function listKind(r: ResourceType): string {
  return `${r.kind}List`;
}

export class Router {
  constructor(private readonly o: RouterOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (err) {
      sendError(res, err);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/cacerts') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(this.o.caBundle);
      return;
    }
    if (path === '/ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('pong');
      return;
    }
    const id = authenticate(req, this.o.credentials);
    if (!id) {
      sendJson(res, 401, statusObject('Failure', 'Unauthorized', 'Unauthorized', 401));
      return;
    }
    if (path.startsWith('/v1-k3s/')) return this.k3s(req, res, path);
    if (req.method === 'GET' && this.discovery(path, res)) return;
    const target = parseResourcePath(path);
    if (!target) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
    await this.resource(req, res, url.searchParams, target, id);
  }

  private discovery(path: string, res: ServerResponse): boolean {
    const doc =
      path === '/version'
        ? SERVER_VERSION
        : path === '/api'
          ? coreVersions(this.o.serverAddress)
          : path === '/apis'
            ? groupList()
            : path === '/api/v1'
              ? resourceList('', 'v1')
              : /^\/apis\/[^/]+$/.test(path)
                ? groupDocument(path.split('/')[2])
                : /^\/apis\/[^/]+\/[^/]+$/.test(path)
                  ? resourceList(path.split('/')[2], path.split('/')[3])
                  : path === '/healthz' || path === '/readyz' || path === '/livez'
                    ? 'ok'
                    : undefined;
    if (doc === undefined) {
      if (path.startsWith('/openapi/')) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
      return false;
    }
    if (typeof doc === 'string') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(doc);
    } else sendJson(res, 200, doc);
    return true;
  }

  /** Objects as the client sees them: events.k8s.io events are converted, kind and apiVersion always set. */
  private present(r: ResourceType, o: KubeObject): KubeObject {
    if (r.group === 'events.k8s.io') return eventsV1(o);
    return { ...o, apiVersion: groupVersion(r), kind: r.kind };
  }

  private async resource(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, t: ResourceRequest, id: Identity): Promise<void> {
    const { resource: r, namespace, name, subresource } = t;
    if (r.namespaced === false && namespace) throw notFound(r.plural, name ?? '');
    const method = req.method ?? 'GET';
    const watch = isTrue(q.get('watch'));
    const verb = { GET: name ? 'get' : watch ? 'watch' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name ? 'delete' : 'deletecollection' }[method];
    if (!verb) throw new KubeError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    authorize(id, verb, r.plural, r.group, namespace, name);
    const store = this.o.store;

    if (subresource === 'log' && method === 'GET' && r.plural === 'pods') {
      serveLogs(store, res, {
        namespace: namespace ?? 'default',
        pod: name ?? '',
        container: q.get('container'),
        follow: isTrue(q.get('follow')),
        previous: isTrue(q.get('previous')),
        timestamps: isTrue(q.get('timestamps')),
        tailLines: q.get('tailLines') === '-1' ? undefined : intParam(q, 'tailLines'),
        sinceSeconds: intParam(q, 'sinceSeconds'),
        limitBytes: intParam(q, 'limitBytes'),
      });
      return;
    }
    if (subresource === 'eviction' && method === 'POST' && r.plural === 'pods') {
      const eviction = (await readJson(req)) as { deleteOptions?: { gracePeriodSeconds?: number } };
      this.deletePod(namespace, name ?? '', eviction.deleteOptions?.gracePeriodSeconds);
      sendJson(res, 201, statusObject('Success', '', undefined, 201));
      return;
    }
    if (subresource === 'exec' || subresource === 'portforward' || subresource === 'attach') {
      throw badRequest(`Upgrade request required`);
    }
    if (subresource === 'scale' && r.subresources.includes('scale') && name) return this.scale(req, res, r, namespace, name);
    if (subresource && subresource !== 'status') throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');

    if (method === 'GET' && !name) return this.list(req, res, q, r, namespace, watch);
    if (method === 'GET') return this.reply(req, res, q, r, 200, store.get(r.plural, namespace, name ?? ''));
    if (method === 'POST' && !name) return this.reply(req, res, q, r, 201, this.create(r, namespace, await readJson(req)));
    if (method === 'PUT' && name) {
      const body = this.incoming(r, namespace, await readJson(req));
      if (body.metadata.name !== name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      return this.reply(req, res, q, r, 200, store.update(r.plural, body));
    }
    if (method === 'PATCH' && name) {
      const body = await readJson(req);
      const current = this.present(r, store.get(r.plural, namespace, name));
      const patched = applyPatch(req.headers['content-type'], current, body) as KubeObject;
      patched.metadata = { ...patched.metadata, name, namespace, resourceVersion: undefined };
      return this.reply(req, res, q, r, 200, store.update(r.plural, this.incoming(r, namespace, patched)));
    }
    if (method === 'DELETE' && name && r.plural === 'pods') {
      const options = (await readJson(req)) as { gracePeriodSeconds?: number };
      return this.reply(req, res, q, r, 200, this.deletePod(namespace, name, intParam(q, 'gracePeriodSeconds') ?? options.gracePeriodSeconds));
    }
    if (method === 'DELETE' && name) {
      const deleted = store.delete(r.plural, namespace, name);
      if (r.plural === 'namespaces') this.deleteNamespaceContents(name);
      if (r.group === '' && ['pods', 'nodes', 'namespaces'].includes(r.plural)) return this.reply(req, res, q, r, 200, deleted);
      sendJson(res, 200, { ...statusObject('Success', '', undefined, 200), details: { name, group: r.group || undefined, kind: r.plural, uid: deleted.metadata.uid } });
      return;
    }
    if (method === 'DELETE') {
      const { items } = store.list(r.plural, { namespace, filter: this.filter(q) });
      for (const o of items) store.delete(r.plural, o.metadata.namespace, o.metadata.name);
      sendJson(res, 200, { kind: listKind(r), apiVersion: groupVersion(r), metadata: { resourceVersion: String(store.revision) }, items: items.map((o) => this.present(r, o)) });
      return;
    }
    throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  /** The `scale` subresource (autoscaling/v1 Scale) that `kubectl scale` reads and patches. */
  private async scale(req: IncomingMessage, res: ServerResponse, r: ResourceType, namespace: string | undefined, name: string): Promise<void> {
    const store = this.o.store;
    const asScale = (o: KubeObject) => {
      const spec = o.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
      const status = (o.status ?? {}) as { replicas?: number };
      const selector = Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name, namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
        spec: { replicas: spec.replicas ?? 0 },
        status: { replicas: status.replicas ?? 0, selector },
      };
    };
    const current = store.get(r.plural, namespace, name);
    if (req.method === 'GET') return sendJson(res, 200, asScale(current));
    if (req.method !== 'PUT' && req.method !== 'PATCH') throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const body = await readJson(req);
    const wanted = (req.method === 'PUT' ? body : applyPatch(req.headers['content-type'], asScale(current), body)) as { spec?: { replicas?: unknown } };
    const replicas = wanted.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new KubeError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: must be a non-negative integer`);
    const updated = store.mutate(r.plural, namespace, name, (o) => void ((o.spec as { replicas: number }).replicas = replicas));
    sendJson(res, 200, asScale(updated));
  }

  /**
   * A graceful delete as the kubelet does it: the pod shows Terminating (deletionTimestamp set) for
   * `podTerminationMs`, then is removed. A grace period of 0, or podTerminationMs 0, removes it at once.
   */
  private deletePod(namespace: string | undefined, name: string, gracePeriodSeconds: number | undefined): KubeObject {
    const store = this.o.store;
    const current = store.get('pods', namespace, name);
    if (this.o.podTerminationMs === 0 || gracePeriodSeconds === 0) return store.delete('pods', namespace, name);
    if (current.metadata.deletionTimestamp) return current;
    const grace = gracePeriodSeconds ?? Number((current.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30);
    const marked = store.mutate('pods', namespace, name, (o) => {
      o.metadata.deletionTimestamp = timestamp(new Date(Date.now() + grace * 1000));
      o.metadata.deletionGracePeriodSeconds = grace;
    });
    setTimeout(() => {
      if (store.find('pods', namespace, name)?.metadata.uid === marked.metadata.uid) store.delete('pods', namespace, name);
    }, this.o.podTerminationMs).unref();
    return marked;
  }

  private filter(q: URLSearchParams): (o: KubeObject) => boolean {
    const labels = labelSelector(q.get('labelSelector'));
    const fields = fieldSelector(q.get('fieldSelector'));
    return (o) => labels(o) && fields(o);
  }

  private reply(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, r: ResourceType, code: number, o: KubeObject): void {
    const shown = this.present(r, o);
    if (wantsTable(req.headers.accept)) {
      sendJson(res, code, toTable(r.kind, [shown], { resourceVersion: o.metadata.resourceVersion }, includeObject(q)));
    } else sendJson(res, code, shown);
  }

  private list(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, r: ResourceType, namespace: string | undefined, watch: boolean): void {
    const filter = this.filter(q);
    const table = wantsTable(req.headers.accept);
    const include = includeObject(q);
    if (watch) {
      const untrack = this.o.onWatch(res);
      serveWatch(
        this.o.store,
        res,
        {
          resource: r.plural,
          kind: r.kind,
          apiVersion: groupVersion(r),
          namespace,
          filter,
          resourceVersion: q.get('resourceVersion') ?? '',
          bookmarks: isTrue(q.get('allowWatchBookmarks')),
          sendInitialEvents: isTrue(q.get('sendInitialEvents')),
          timeoutSeconds: intParam(q, 'timeoutSeconds'),
          bookmarkIntervalMs: this.o.bookmarkIntervalMs,
          present: (o) => {
            const shown = this.present(r, o);
            return table && o.metadata.name ? toTable(r.kind, [shown], { resourceVersion: o.metadata.resourceVersion }, include) : shown;
          },
        },
        untrack,
      );
      return;
    }
    const { items, revision } = this.o.store.list(r.plural, { namespace, filter });
    const page = paginate(items, revision, intParam(q, 'limit'), q.get('continue'));
    const meta = { resourceVersion: String(page.revision), ...(page.continue ? { continue: page.continue, remainingItemCount: page.remaining } : {}) };
    const shown = page.items.map((o) => this.present(r, o));
    if (table) sendJson(res, 200, toTable(r.kind, shown, meta, include));
    else {
      for (const o of shown) {
        delete (o as Partial<KubeObject>).kind;
        delete (o as Partial<KubeObject>).apiVersion;
      }
      sendJson(res, 200, { kind: listKind(r), apiVersion: groupVersion(r), metadata: meta, items: shown });
    }
  }

  /** A body from the client, checked and turned into the stored (core/v1) shape. */
  private incoming(r: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
    const o = body as KubeObject;
    if (typeof o.metadata !== 'object' || o.metadata === null) o.metadata = { name: '' };
    if (o.kind && o.kind !== r.kind) throw badRequest(`the kind of the object (${o.kind}) does not match the resource (${r.kind})`);
    if (r.namespaced) {
      if (o.metadata.namespace && namespace && o.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      o.metadata.namespace = namespace ?? o.metadata.namespace ?? 'default';
    } else delete o.metadata.namespace;
    const shaped = r.group === 'events.k8s.io' ? eventsCore(o) : o;
    validate(r, shaped);
    return { ...shaped, apiVersion: r.group === 'events.k8s.io' ? 'v1' : groupVersion(r), kind: r.kind };
  }

  private create(r: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
    const o = this.incoming(r, namespace, body);
    if (r.namespaced && !this.o.store.find('namespaces', undefined, o.metadata.namespace ?? '')) throw notFound('namespaces', o.metadata.namespace ?? '');
    if (r.plural === 'nodes') return this.registerNode(o);
    if (r.plural === 'pods' && !(o as Pod).status?.phase) return this.o.store.admitPod(o as Pod, this.o.nodeReadyDelayMs);
    return this.o.store.create(r.plural, o);
  }

  /** An agent registers its node NotReady; it reports Ready shortly after, as a kubelet does. */
  private registerNode(o: KubeObject): KubeObject {
    const status = (o.status ?? {}) as { conditions?: unknown[] };
    if (status.conditions?.length) return this.o.store.create('nodes', o);
    const labels = o.metadata.labels ?? {};
    const defaults = nodeObject({
      name: o.metadata.name,
      ready: false,
      ageSeconds: 0,
      arch: (labels['kubernetes.io/arch'] as 'arm64' | 'amd64' | 'arm' | undefined) ?? 'arm64',
      internalIp: o.metadata.annotations?.['k3s.io/internal-ip'],
    });
    const node: KubeObject = {
      ...defaults,
      metadata: { ...defaults.metadata, ...o.metadata, labels: { ...defaults.metadata.labels, ...labels }, annotations: { ...defaults.metadata.annotations, ...o.metadata.annotations } },
      spec: { ...defaults.spec, ...(o.spec as object | undefined) },
    };
    const created = this.o.store.create('nodes', node);
    const uid = created.metadata.uid;
    setTimeout(() => {
      const current = this.o.store.find('nodes', undefined, created.metadata.name);
      if (current?.metadata.uid === uid) this.o.store.setNodeReady(created.metadata.name, true);
    }, this.o.nodeReadyDelayMs).unref();
    return created;
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const r of RESOURCES) {
      if (!r.namespaced || r.group === 'events.k8s.io') continue;
      for (const o of this.o.store.list(r.plural, { namespace }).items) this.o.store.delete(r.plural, namespace, o.metadata.name);
    }
  }

  /**
   * K3s's supervisor endpoints an agent calls with its token: the kubelet certificates are handed out only when
   * the node password matches the `<node>.node-password.k3s` secret (created on first join).
   */
  private async k3s(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const file = path.slice('/v1-k3s/'.length);
    if (file !== 'client-kubelet.crt' && file !== 'serving-kubelet.crt') throw new KubeError(404, 'NotFound', `404 page not found`);
    const node = String(req.headers['k3s-node-name'] ?? '');
    const password = String(req.headers['k3s-node-password'] ?? '');
    if (!node || !password) throw badRequest('missing K3s-Node-Name or K3s-Node-Password header');
    const check = checkNodePassword(this.o.store, node, password);
    if (!check.ok) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end(`${check.message}\n`);
      return;
    }
    const cert = await this.o.issueNodeCert(node);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(file === 'client-kubelet.crt' ? `${cert.certPem}${this.o.caBundle}${cert.keyPem}` : `${cert.certPem}${this.o.caBundle}`);
  }
}

function invalid(r: ResourceType, name: string, field: string, detail: string): KubeError {
  return new KubeError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${field}: ${detail}`, { name, group: r.group || undefined, kind: r.kind });
}

/** The checks the server relies on later (pods and workloads need containers with a name and an image). */
function validate(r: ResourceType, o: KubeObject): void {
  const name = String(o.metadata.name ?? '');
  if (typeof o.metadata.name !== 'string' && typeof o.metadata.generateName !== 'string') throw invalid(r, name, 'metadata.name', 'Required value: name or generateName is required');
  const podSpecPath = r.plural === 'pods' ? 'spec' : ['deployments', 'daemonsets', 'statefulsets', 'replicasets'].includes(r.plural) ? 'spec.template.spec' : undefined;
  if (!podSpecPath) return;
  let spec: unknown = o;
  for (const part of podSpecPath.split('.')) spec = spec && typeof spec === 'object' ? (spec as Record<string, unknown>)[part] : undefined;
  const containers = (spec as { containers?: unknown } | undefined)?.containers;
  if (!Array.isArray(containers) || containers.length === 0) throw invalid(r, name, `${podSpecPath}.containers`, 'Required value');
  containers.forEach((c: { name?: unknown; image?: unknown }, i) => {
    if (typeof c?.name !== 'string' || !c.name) throw invalid(r, name, `${podSpecPath}.containers[${i}].name`, 'Required value');
    if (typeof c.image !== 'string' || !c.image) throw invalid(r, name, `${podSpecPath}.containers[${i}].image`, 'Required value');
  });
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

interface Page {
  items: KubeObject[];
  revision: number;
  continue?: string;
  remaining?: number;
}

/** `limit`/`continue` paging; the token carries the list's revision and the key to start after, as the real one does. */
function paginate(items: KubeObject[], revision: number, limit: number | undefined, token: string | null): Page {
  let start = 0;
  let rev = revision;
  if (token) {
    let parsed: { rv?: number; start?: string };
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: number; start?: string };
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
    rev = parsed.rv ?? revision;
    const after = parsed.start ?? '';
    start = items.findIndex((o) => objectKey(o) > after);
    if (start < 0) start = items.length;
  }
  if (!limit || start + limit >= items.length) return { items: items.slice(start), revision: rev };
  const pageItems = items.slice(start, start + limit);
  const next = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: rev, start: objectKey(pageItems[pageItems.length - 1]) })).toString('base64url');
  return { items: pageItems, revision: rev, continue: next, remaining: items.length - start - limit };
}

function objectKey(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
