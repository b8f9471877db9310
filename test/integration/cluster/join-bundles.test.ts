import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleStore, type ImportProgress } from '../../../electron/services/cluster/join/bundles.js';
import { K3S_RELEASE_DIR } from '../../harness/k3s-gateway.js';

const FILES = ['k3s', 'k3s-airgap-images-amd64.tar.gz', 'install.sh', 'sha256sum-amd64.txt'];
let dir: string;
beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'fk-bundles-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

async function release(name: string, change?: (file: string) => Buffer | undefined): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const f of FILES) {
    const replaced = change?.(f);
    if (replaced) await writeFile(join(folder, f), replaced);
    else await copyFile(join(K3S_RELEASE_DIR, f), join(folder, f));
  }
  return folder;
}

describe('air-gap bundles', () => {
  it('verifies and caches a release folder under <dataDir>/cluster/bundles/<version>/<arch>/', async () => {
    const store = new BundleStore(join(dir, 'data'));
    const progress: ImportProgress[] = [];
    const [bundle] = await store.import(K3S_RELEASE_DIR, { onProgress: (p) => progress.push(p) });
    expect(bundle).toMatchObject({ version: 'v1.31.4+k3s1', arch: 'amd64', binary: 'k3s', images: 'k3s-airgap-images-amd64.tar.gz', installScript: 'install.sh' });
    expect(bundle.dir).toBe(join(dir, 'data', 'cluster', 'bundles', 'v1.31.4+k3s1', 'amd64'));
    for (const f of ['k3s', 'k3s-airgap-images-amd64.tar.gz', 'install.sh']) expect(await readFile(join(bundle.dir, f))).toEqual(await readFile(join(K3S_RELEASE_DIR, f)));
    expect(progress.filter((p) => p.bytesDone === p.bytesTotal).map((p) => p.file)).toEqual(['k3s', 'k3s-airgap-images-amd64.tar.gz', 'install.sh']);
    expect((await store.list()).map((b) => `${b.version}/${b.arch}`)).toEqual(['v1.31.4+k3s1/amd64']);
    expect((await store.find('amd64')).version).toBe('v1.31.4+k3s1');
    await expect(store.find('arm64')).rejects.toThrow('no imported air-gap bundle for arm64 (imported: v1.31.4+k3s1/amd64)');
  });

  it('refuses a file that does not match the checksum and caches nothing', async () => {
    const store = new BundleStore(join(dir, 'data'));
    const folder = await release('v1.31.4+k3s1', (f) => (f === 'k3s-airgap-images-amd64.tar.gz' ? Buffer.from('truncated download') : undefined));
    await expect(store.import(folder)).rejects.toThrow(/^k3s-airgap-images-amd64\.tar\.gz does not match sha256sum-amd64\.txt \(expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}\): download it again$/);
    expect(await store.list()).toEqual([]);
  });

  it('names what is missing, and reads the version from the binary when the folder has another name', async () => {
    const store = new BundleStore(join(dir, 'data'));
    const incomplete = await release('partial');
    await rm(join(incomplete, 'install.sh'));
    await expect(store.import(incomplete)).rejects.toThrow(`${incomplete} has no complete K3s bundle: amd64: missing install.sh`);
    await expect(store.import(join(dir, 'nowhere'))).rejects.toThrow('does not exist');
    const renamed = await release('downloads');
    expect((await store.import(renamed))[0].version).toBe('v1.31.4+k3s1');
  });
});
