import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { AirgapBundle } from '../../../../shared/contract/cluster.js';
import { bundleLayouts, findVersion, isVersion, parseChecksums, type BundleArch, type BundleLayout } from '../../../../shared/cluster/join/bundle-files.js';

export interface ImportProgress {
  file: string;
  bytesDone: number;
  bytesTotal: number;
}

export interface CachedBundle extends AirgapBundle {
  /** The cache folder holding `binary`, `images` and `installScript`. */
  dir: string;
}

const META = 'bundle.json';
const PROGRESS_EVERY_MS = 200;

/** Verified K3s air-gap bundles under `<dataDir>/cluster/bundles/<version>/<arch>/`. */
export class BundleStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'cluster', 'bundles');
  }

  async list(): Promise<CachedBundle[]> {
    const versions = await readdir(this.root).catch(() => [] as string[]);
    const found: CachedBundle[] = [];
    for (const version of versions) {
      for (const arch of await readdir(join(this.root, version)).catch(() => [] as string[])) {
        const dir = join(this.root, version, arch);
        const meta = await readFile(join(dir, META), 'utf8').then((t) => JSON.parse(t) as AirgapBundle, () => undefined);
        if (meta) found.push({ ...meta, dir });
      }
    }
    return found.sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt));
  }

  /** `<version>/<arch>`, or the newest bundle for `arch` when no key is given. */
  async find(arch: string, key?: string): Promise<CachedBundle> {
    const all = await this.list();
    const bundle = key ? all.find((b) => `${b.version}/${b.arch}` === key) : all.find((b) => b.arch === arch);
    if (!bundle) {
      const have = all.map((b) => `${b.version}/${b.arch}`).join(', ') || 'none';
      throw new Error(`no imported air-gap bundle ${key ?? `for ${arch}`} (imported: ${have})`);
    }
    if (bundle.arch !== arch) throw new Error(`the bundle ${key} is for ${bundle.arch} but the gateway is ${arch}`);
    return bundle;
  }

  /**
   * Imports every complete architecture in a release folder: each file is hashed while it is copied and must match
   * the release's `sha256sum-<arch>.txt`. A bundle only appears in the cache once all its files passed.
   */
  async import(dir: string, opts: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal } = {}): Promise<CachedBundle[]> {
    const files = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      throw new Error(e.code === 'ENOENT' ? `${dir} does not exist` : `cannot read ${dir}: ${e.message}`);
    });
    const { layouts, problems } = bundleLayouts(files);
    if (layouts.length === 0) {
      throw new Error(
        problems.length
          ? `${dir} has no complete K3s bundle: ${problems.join('; ')}`
          : `${dir} has no sha256sum-<arch>.txt: download the release's k3s binary, k3s-airgap-images-<arch>.tar.zst, its checksum file and install.sh into one folder`,
      );
    }
    const imported: CachedBundle[] = [];
    for (const layout of layouts) imported.push(await this.importOne(dir, layout, opts));
    return imported;
  }

  private async importOne(dir: string, layout: BundleLayout, opts: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal }): Promise<CachedBundle> {
    const sums = parseChecksums(await readFile(join(dir, layout.checksumFile), 'utf8'));
    for (const file of [layout.binary, layout.images]) {
      if (!sums.has(file)) throw new Error(`${layout.checksumFile} does not list ${file}: is it from the same release?`);
    }
    await mkdir(this.root, { recursive: true });
    const staging = join(this.root, `.import-${layout.arch}-${process.pid}-${Date.now()}`);
    await mkdir(staging, { recursive: true });
    try {
      let version = isVersion(basename(dir)) ? basename(dir) : undefined;
      let bytes = 0;
      for (const file of [layout.binary, layout.images, layout.installScript]) {
        const copied = await copyHashed(join(dir, file), join(staging, file), file === layout.binary && !version, opts);
        version ??= copied.version;
        const expected = sums.get(file);
        if (expected !== undefined && expected !== copied.sha256) {
          throw new Error(`${file} does not match ${layout.checksumFile} (expected sha256 ${expected}, got ${copied.sha256}): download it again`);
        }
        bytes += copied.bytes;
      }
      if (!version) throw new Error(`cannot tell the K3s version of ${dir}: name the folder after the release (e.g. v1.31.4+k3s1)`);
      const bundle: AirgapBundle = {
        version,
        arch: layout.arch satisfies BundleArch,
        binary: layout.binary,
        images: layout.images,
        installScript: layout.installScript,
        bytes,
        verifiedAt: new Date().toISOString(),
      };
      await writeFile(join(staging, META), `${JSON.stringify(bundle, null, 2)}\n`);
      const target = join(this.root, version, layout.arch);
      await mkdir(join(this.root, version), { recursive: true });
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
      return { ...bundle, dir: target };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}

async function copyHashed(
  from: string,
  to: string,
  lookForVersion: boolean,
  opts: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal },
): Promise<{ sha256: string; bytes: number; version?: string }> {
  const file = basename(from);
  const bytesTotal = (await stat(from)).size;
  const hash = createHash('sha256');
  let bytesDone = 0;
  let lastReport = 0;
  let reported = -1;
  let version: string | undefined;
  let tail = '';
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytesDone += chunk.length;
      if (lookForVersion && !version) {
        const text = tail + chunk.toString('latin1');
        version = findVersion(text);
        tail = text.slice(-64);
      }
      const now = Date.now();
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        reported = bytesDone;
        opts.onProgress?.({ file, bytesDone, bytesTotal });
      }
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), meter, createWriteStream(to, { mode: 0o644 }), { signal: opts.signal });
  if (reported !== bytesDone) opts.onProgress?.({ file, bytesDone, bytesTotal });
  return { sha256: hash.digest('hex'), bytes: bytesDone, ...(version ? { version } : {}) };
}
