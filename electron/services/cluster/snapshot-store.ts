import { createHash } from 'node:crypto';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterSnapshotData } from '../../../shared/cluster/cluster-state.js';
import { writePrivateFile } from '../ssh/private-file.js';

export interface ClusterSnapshot extends ClusterSnapshotData {
  /** When this state was last known to be true (the last moment the watches were live). */
  asOf: string;
}

const VERSION = 1;
const ALL_NAMESPACES = '_all';
const HEAD_BYTES = 256;

const dirName = (contextId: string) => createHash('sha256').update(contextId).digest('hex').slice(0, 32);
const fileName = (namespace: string | undefined) => `${namespace ? `ns-${namespace}` : ALL_NAMESPACES}.json`;

/**
 * The last state of each cluster seen, one JSON file per context and namespace scope (`_all` or `ns-<name>`),
 * written atomically. `asOf` is written first so listing contexts reads only a file's head.
 */
export class SnapshotStore {
  constructor(private readonly dir: string) {}

  async write(contextId: string, namespace: string | undefined, snapshot: ClusterSnapshot): Promise<void> {
    const body = { asOf: snapshot.asOf, version: VERSION, contextId, namespace: namespace ?? null, nodes: snapshot.nodes, pods: snapshot.pods, events: snapshot.events };
    await writePrivateFile(join(this.dir, dirName(contextId), fileName(namespace)), JSON.stringify(body));
  }

  /** The snapshot for this scope; a namespace without its own falls back to the all-namespaces one, filtered. */
  async read(contextId: string, namespace?: string): Promise<ClusterSnapshot | undefined> {
    const own = await this.readFile(contextId, namespace);
    if (own || !namespace) return own;
    const all = await this.readFile(contextId, undefined);
    return all && { ...all, pods: all.pods.filter((p) => p.namespace === namespace), events: all.events.filter((e) => e.namespace === namespace) };
  }

  /** The newest `asOf` among a context's snapshots, or null. */
  async latest(contextId: string): Promise<string | null> {
    const dir = join(this.dir, dirName(contextId));
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    } catch {
      return null;
    }
    const times = await Promise.all(names.map((n) => readAsOf(join(dir, n))));
    return times.filter((t): t is string => t !== undefined).sort().at(-1) ?? null;
  }

  async remove(contextId: string): Promise<void> {
    await rm(join(this.dir, dirName(contextId)), { recursive: true, force: true });
  }

  private async readFile(contextId: string, namespace: string | undefined): Promise<ClusterSnapshot | undefined> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, dirName(contextId), fileName(namespace)), 'utf8')) as ClusterSnapshot & { version?: number; contextId?: string };
      if (parsed.version !== VERSION || parsed.contextId !== contextId) return undefined;
      return { asOf: parsed.asOf, nodes: parsed.nodes ?? [], pods: parsed.pods ?? [], events: parsed.events ?? [] };
    } catch {
      return undefined; // none yet, or damaged: the live list replaces it
    }
  }
}

async function readAsOf(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      return /^\{"asOf":"([^"]+)"/.exec(buffer.subarray(0, bytesRead).toString('utf8'))?.[1];
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
