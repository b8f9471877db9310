/**
 * The object store: every object under one global resourceVersion counter (as etcd's revision), a bounded history
 * of changes for watches that resume from a resourceVersion, and compaction that makes older versions answer 410.
 */
import { randomUUID } from 'node:crypto';
import { timestamp } from './objects.js';
import { PodLogs } from './pod-logs.js';
import { RESOURCES } from './resources.js';
import { alreadyExists, expired, KubeError, notFound } from './status.js';
import type { KubeObject, StoreEvent, WatchEventType } from './types.js';

export interface ListOptions {
  namespace?: string;
  filter?: (obj: KubeObject) => boolean;
}

export interface WatchOptions extends ListOptions {
  /** Send changes after this revision; `undefined`/0 first sends every matching object as ADDED. */
  fromRevision?: number;
}

interface Watcher {
  resource: string;
  options: WatchOptions;
  send(event: StoreEvent): void;
}

const HISTORY_LIMIT = 20_000;

const clone = <T>(value: T): T => structuredClone(value);

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rev = 1;
  /** Watches from a revision below this answer 410 Gone. */
  private oldest = 1;
  readonly logs = new PodLogs();

  constructor() {
    for (const r of RESOURCES) this.objects.set(r.plural, new Map());
  }

  get revision(): number {
    return this.rev;
  }

  private table(resource: string): Map<string, KubeObject> {
    const t = this.objects.get(resource);
    if (!t) throw new KubeError(404, 'NotFound', `the server could not find the requested resource (${resource})`);
    return t;
  }

  list(resource: string, options: ListOptions = {}): { items: KubeObject[]; revision: number } {
    const items: KubeObject[] = [];
    for (const obj of this.table(resource).values()) if (this.matches(obj, options)) items.push(clone(obj));
    items.sort((a, b) => (keyOf(a.metadata.namespace, a.metadata.name) < keyOf(b.metadata.namespace, b.metadata.name) ? -1 : 1));
    return { items, revision: this.rev };
  }

  /** Without copying: for the server's own read-only scans (table printing, controllers). */
  peek(resource: string): Iterable<KubeObject> {
    return this.table(resource).values();
  }

  find(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.table(resource).get(keyOf(namespace, name));
    return obj && clone(obj);
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject {
    const obj = this.find(resource, namespace, name);
    if (!obj) throw notFound(resource, name, groupOf(resource));
    return obj;
  }

  create(resource: string, input: KubeObject): KubeObject {
    const obj = clone(input);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    if (!meta.name) throw new KubeError(422, 'Invalid', `${obj.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    const t = this.table(resource);
    const key = keyOf(meta.namespace, meta.name);
    if (t.has(key)) throw alreadyExists(resource, meta.name, groupOf(resource));
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= timestamp();
    if (obj.apiVersion.startsWith('apps/') && meta.generation === undefined) meta.generation = 1;
    delete meta.resourceVersion;
    return this.commit(resource, 'ADDED', key, obj);
  }

  /** Replaces an object. A resourceVersion in the input must match the stored one (optimistic concurrency). */
  update(resource: string, input: KubeObject): KubeObject {
    const t = this.table(resource);
    const key = keyOf(input.metadata.namespace, input.metadata.name);
    const current = t.get(key);
    if (!current) throw notFound(resource, input.metadata.name, groupOf(resource));
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) {
      throw new KubeError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: input.metadata.name, kind: resource },
      );
    }
    const obj = clone(input);
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (JSON.stringify(obj.spec) !== JSON.stringify(current.spec) && current.metadata.generation !== undefined) {
      obj.metadata.generation = current.metadata.generation + 1;
    }
    return this.commit(resource, 'MODIFIED', key, obj);
  }

  /** Read-modify-write of one object; `change` edits the copy it is given. */
  mutate(resource: string, namespace: string | undefined, name: string, change: (obj: KubeObject) => void): KubeObject {
    const obj = this.get(resource, namespace, name);
    change(obj);
    delete obj.metadata.resourceVersion;
    return this.update(resource, obj);
  }

  delete(resource: string, namespace: string | undefined, name: string): KubeObject {
    const t = this.table(resource);
    const key = keyOf(namespace, name);
    const current = t.get(key);
    if (!current) throw notFound(resource, name, groupOf(resource));
    t.delete(key);
    const obj = clone(current);
    this.rev++;
    obj.metadata.resourceVersion = String(this.rev);
    this.publish({ type: 'DELETED', resource, object: obj, revision: this.rev });
    if (resource === 'pods') this.logs.forget(`${namespace}/${name}/`);
    return clone(obj);
  }

  watch(resource: string, options: WatchOptions, send: (event: StoreEvent) => void): () => void {
    this.table(resource);
    const from = options.fromRevision;
    if (from && from < this.oldest) throw expired(String(from), this.oldest);
    if (!from) {
      for (const object of this.list(resource, options).items) send({ type: 'ADDED', resource, object, revision: Number(object.metadata.resourceVersion) });
    } else {
      for (const event of this.history) {
        const seen = event.revision > from && event.resource === resource ? this.project(event, options) : undefined;
        if (seen) send(seen);
      }
    }
    const watcher: Watcher = { resource, options, send };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Forget the history: watches from any revision before now answer 410 Gone (clients must re-list). */
  compact(): void {
    this.history.length = 0;
    this.oldest = this.rev;
  }

  private matches(obj: KubeObject, options: ListOptions): boolean {
    if (options.namespace && obj.metadata.namespace !== options.namespace) return false;
    return !options.filter || options.filter(obj);
  }

  private commit(resource: string, type: WatchEventType, key: string, obj: KubeObject): KubeObject {
    this.rev++;
    obj.metadata.resourceVersion = String(this.rev);
    const table = this.table(resource);
    const previous = table.get(key);
    table.set(key, obj);
    this.publish({ type, resource, object: clone(obj), revision: this.rev, previous });
    return clone(obj);
  }

  /**
   * What a watch with selectors sees of a change, as the real server shows it: an object that starts matching is
   * ADDED, one that stops matching is DELETED.
   */
  private project(event: StoreEvent, options: WatchOptions): StoreEvent | undefined {
    const now = this.matches(event.object, options);
    const before = event.type === 'MODIFIED' && event.previous ? this.matches(event.previous, options) : now;
    if (!now && !before) return undefined;
    const type: WatchEventType = event.type !== 'MODIFIED' || (now && before) ? event.type : now ? 'ADDED' : 'DELETED';
    return { type, resource: event.resource, object: clone(event.object), revision: event.revision };
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.oldest = dropped[dropped.length - 1].revision;
    }
    for (const w of this.watchers) {
      const seen = w.resource === event.resource ? this.project(event, w.options) : undefined;
      if (seen) w.send(seen);
    }
  }
}

function groupOf(resource: string): string {
  return RESOURCES.find((r) => r.plural === resource)?.group ?? '';
}

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Like the API server's generateName suffix: 5 characters without vowels. */
export function randomSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SUFFIX_CHARS[Math.floor(Math.random() * SUFFIX_CHARS.length)];
  return s;
}
