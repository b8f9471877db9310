import { existsSync } from 'node:fs';
import { chmod, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { FieldkitError } from '../../../shared/contract/errors.js';
import { expandHome } from '../ssh/profiles.js';
import { writePrivateFile } from '../ssh/private-file.js';

export const clusterPaths = (dataDir: string) => {
  const root = join(dataDir, 'cluster');
  return { root, catalog: join(root, 'contexts.json'), ssh: join(root, 'ssh'), snapshots: join(root, 'snapshots'), logMarks: join(root, 'log-marks.json') };
};

/** A context FieldKit knows, before the snapshot time is added. */
export interface ContextRecord {
  contextId: string;
  /** What the technician sees: the context name, or the name given to a server added over SSH. */
  name: string;
  /** The context's name inside its kubeconfig file. */
  contextName: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
  source: 'kubeconfig' | 'ssh';
  file: string;
  current: boolean;
}

interface SshServer {
  name: string;
  file: string;
}

interface Catalog {
  /** kubeconfig files added with `cluster.contexts.addFile`. */
  files: string[];
  /** Contexts the technician removed from a kubeconfig FieldKit does not own. */
  hidden: string[];
  ssh: SshServer[];
}

/** $KUBECONFIG's list, else ~/.kube/config when it exists: what kubectl reads. */
export function defaultKubeconfigFiles(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  if (env.KUBECONFIG) return [...new Set(env.KUBECONFIG.split(delimiter).filter(Boolean).map((f) => resolve(expandHome(f, home))))];
  const file = join(home, '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

/** Parses a kubeconfig file; a missing or broken one is a clear error. */
export function loadKubeconfigFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new FieldkitError('not_found', `Cannot read ${file} (${code}).`, 'Give the path of a kubeconfig file on this machine.');
    }
    throw new FieldkitError('bad_request', `${file} is not a kubeconfig FieldKit can read: ${(error as Error).message.split('\n')[0]}`, 'Check the file with "kubectl config view --kubeconfig FILE".');
  }
  if (kc.getContexts().length === 0) throw new FieldkitError('bad_request', `${file} holds no contexts.`, 'A kubeconfig needs at least one context (cluster + user).');
  return kc;
}

/** A KubeConfig whose current context is `contextName` of `file`. */
export function kubeConfigFor(file: string, contextName: string): KubeConfig {
  const kc = loadKubeconfigFile(file);
  if (!kc.getContextObject(contextName)) throw new FieldkitError('not_found', `${file} has no context "${contextName}".`, `Its contexts: ${kc.getContexts().map((c) => c.name).join(', ')}.`);
  kc.setCurrentContext(contextName);
  return kc;
}

const slug = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'server';

/**
 * Where FieldKit's contexts come from: the user's kubeconfig files, files added by path (remembered), and
 * kubeconfigs fetched from K3s servers over SSH (FieldKit's own private copies). One context is `current`: the
 * current-context of the first file that names one.
 */
export class ContextCatalog {
  private readonly paths: ReturnType<typeof clusterPaths>;

  constructor(
    dataDir: string,
    private readonly defaultFiles: () => string[] = () => defaultKubeconfigFiles(),
  ) {
    this.paths = clusterPaths(dataDir);
  }

  async list(): Promise<ContextRecord[]> {
    const catalog = await this.read();
    const hidden = new Set(catalog.hidden);
    const sources: { file: string; source: 'kubeconfig' | 'ssh'; name?: string }[] = [
      ...[...new Set([...this.defaultFiles(), ...catalog.files])].map((file) => ({ file, source: 'kubeconfig' as const })),
      ...catalog.ssh.map((s) => ({ file: s.file, source: 'ssh' as const, name: s.name })),
    ];
    const records: ContextRecord[] = [];
    let currentChosen = false;
    for (const { file, source, name } of sources) {
      let kc: KubeConfig;
      try {
        kc = loadKubeconfigFile(file);
      } catch {
        continue; // a file that went away or broke since it was added lists nothing; addFile tells why
      }
      for (const ctx of kc.getContexts()) {
        const contextId = source === 'ssh' ? `ssh:${name}:${ctx.name}` : `kubeconfig:${file}:${ctx.name}`;
        if (hidden.has(contextId)) continue;
        const current: boolean = !currentChosen && kc.getCurrentContext() === ctx.name;
        currentChosen ||= current;
        records.push({
          contextId,
          name: source === 'ssh' ? (name ?? ctx.name) : ctx.name,
          contextName: ctx.name,
          cluster: ctx.cluster,
          server: kc.getCluster(ctx.cluster)?.server ?? '',
          user: ctx.user,
          ...(ctx.namespace && { namespace: ctx.namespace }),
          source,
          file,
          current,
        });
      }
    }
    return records;
  }

  async get(contextId: string): Promise<ContextRecord> {
    const record = (await this.list()).find((r) => r.contextId === contextId);
    if (!record) throw new FieldkitError('not_found', `No cluster context "${contextId}".`, 'Pick one from the context list, or add a kubeconfig file.');
    return record;
  }

  /** Remembers a kubeconfig file (checked first) and shows its contexts again if some were removed. */
  async addFile(path: string): Promise<ContextRecord[]> {
    const file = resolve(expandHome(path));
    loadKubeconfigFile(file);
    const catalog = await this.read();
    if (!catalog.files.includes(file) && !this.defaultFiles().includes(file)) catalog.files.push(file);
    catalog.hidden = catalog.hidden.filter((id) => !id.startsWith(`kubeconfig:${file}:`));
    await this.write(catalog);
    return (await this.list()).filter((r) => r.file === file);
  }

  /** Stores FieldKit's copy of a K3s server's kubeconfig (it holds a client key: only the user may read it). */
  async addSsh(name: string, kubeconfigYaml: string): Promise<ContextRecord[]> {
    const file = join(this.paths.ssh, `${slug(name)}.yaml`);
    await writePrivateFile(file, kubeconfigYaml);
    await chmod(file, 0o600);
    const catalog = await this.read();
    catalog.ssh = [...catalog.ssh.filter((s) => s.name !== name && s.file !== file), { name, file }];
    catalog.hidden = catalog.hidden.filter((id) => !id.startsWith(`ssh:${name}:`));
    await this.write(catalog);
    return (await this.list()).filter((r) => r.source === 'ssh' && r.file === file);
  }

  /** Forgets a context: an SSH server's copy is deleted; a context of a user's kubeconfig is only hidden. */
  async remove(contextId: string): Promise<ContextRecord> {
    const record = await this.get(contextId);
    const catalog = await this.read();
    if (record.source === 'ssh') {
      catalog.ssh = catalog.ssh.filter((s) => s.file !== record.file);
      await rm(record.file, { force: true });
    } else {
      catalog.hidden.push(contextId);
      const left = (await this.list()).filter((r) => r.file === record.file && r.contextId !== contextId);
      if (left.length === 0) catalog.files = catalog.files.filter((f) => f !== record.file);
    }
    await this.write(catalog);
    return record;
  }

  private async read(): Promise<Catalog> {
    try {
      const parsed = JSON.parse(await readFile(this.paths.catalog, 'utf8')) as Partial<Catalog>;
      return { files: parsed.files ?? [], hidden: parsed.hidden ?? [], ssh: parsed.ssh ?? [] };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], hidden: [], ssh: [] };
      throw new FieldkitError('failed', `FieldKit's cluster context list ${this.paths.catalog} is damaged: ${(error as Error).message}`, 'Delete that file and add the kubeconfig files again.');
    }
  }

  private write(catalog: Catalog): Promise<void> {
    return writePrivateFile(this.paths.catalog, `${JSON.stringify(catalog, null, 2)}\n`);
  }
}
