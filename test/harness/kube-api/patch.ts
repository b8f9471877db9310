/** PATCH bodies: JSON merge patch (RFC 7386), strategic merge patch (the list merge keys kubectl relies on), JSON patch (RFC 6902). */
import { badRequest, KubeError } from './status.js';

type JsonValue = unknown;
type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isMap(patch)) return patch;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** patchMergeKey of the list fields in core and apps types, by field name. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  conditions: 'type',
  addresses: 'type',
  ownerReferences: 'uid',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};
/** Primitive lists whose strategy is merge (set union), not replace. */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const key = MERGE_KEYS[field];
  const current = Array.isArray(target) ? [...target] : [];
  if (MERGED_PRIMITIVE_LISTS.has(field)) return [...current, ...patch.filter((v) => !current.includes(v))];
  if (!key) return patch.filter((v) => !(isMap(v) && v.$patch === 'replace'));
  if (patch.some((v) => isMap(v) && v.$patch === 'replace')) return patch.filter((v) => !(isMap(v) && v.$patch === 'replace'));
  for (const item of patch) {
    if (!isMap(item)) throw badRequest(`unable to find api field in struct for the list ${field}: elements must be objects`);
    const index = current.findIndex((c) => isMap(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) current.splice(index, 1);
    } else if (index >= 0) current[index] = strategicMergePatch(current[index], item);
    else current.push(strategicMergePatch({}, item));
  }
  return current;
}

export function strategicMergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isMap(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _replace, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(v)) out[field] = (out[field] as unknown[]).filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else if (isMap(v)) {
      const merged = strategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[]): { parent: JsonMap | unknown[]; last: string } {
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isMap(cur) ? cur[part] : undefined;
    if (cur === undefined) throw new KubeError(422, 'Invalid', `jsonpatch: path /${parts.join('/')} does not exist`);
  }
  if (!Array.isArray(cur) && !isMap(cur)) throw new KubeError(422, 'Invalid', `jsonpatch: path /${parts.join('/')} does not exist`);
  return { parent: cur, last: parts[parts.length - 1] };
}

function getAt(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (!parts.length) return doc;
  const { parent, last } = parentOf(doc, parts);
  return Array.isArray(parent) ? parent[Number(last)] : parent[last];
}

function remove(doc: unknown, path: string): unknown {
  const { parent, last } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
  if (!(last in parent)) throw new KubeError(422, 'Invalid', `jsonpatch remove operation does not apply: doc is missing path: ${path}`);
  const value = parent[last];
  delete parent[last];
  return value;
}

function add(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const parts = pointer(path);
  if (!parts.length) return value;
  const { parent, last } = parentOf(doc, parts);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    parent.splice(index, replace ? 1 : 0, value);
  } else parent[last] = value;
  return doc;
}

export function jsonPatch(target: JsonValue, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let doc = structuredClone(target);
  for (const raw of ops as JsonPatchOp[]) {
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, raw.value, false);
        break;
      case 'replace':
        remove(doc, raw.path);
        doc = add(doc, raw.path, raw.value, false);
        break;
      case 'remove':
        remove(doc, raw.path);
        break;
      case 'move':
        doc = add(doc, raw.path, remove(doc, raw.from ?? ''), false);
        break;
      case 'copy':
        doc = add(doc, raw.path, structuredClone(getAt(doc, raw.from ?? '')), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value)) throw new KubeError(422, 'Invalid', `testing value ${raw.path} failed`);
        break;
      default:
        throw badRequest(`unexpected json patch operation ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return doc;
}

export function applyPatch(contentType: string | undefined, target: JsonValue, body: unknown): JsonValue {
  const type = (contentType ?? '').split(';')[0].trim();
  switch (type) {
    case 'application/merge-patch+json':
      return mergePatch(target, body);
    case 'application/strategic-merge-patch+json':
      return strategicMergePatch(target, body);
    case 'application/json-patch+json':
      return jsonPatch(target, body);
    default:
      throw new KubeError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
  }
}
