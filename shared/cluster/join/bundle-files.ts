/** The files of a K3s release folder for one architecture, as the GitHub release names them. */
export type BundleArch = 'amd64' | 'arm64' | 'arm';

const BINARY: Record<BundleArch, string> = { amd64: 'k3s', arm64: 'k3s-arm64', arm: 'k3s-armhf' };
const IMAGE_EXTENSIONS = ['.tar.zst', '.tar.gz', '.tar'];

export const checksumFileName = (arch: BundleArch) => `sha256sum-${arch}.txt`;

/** `sha256sum` output: `<64 hex>  <name>` or `<64 hex> *<name>` (binary mode). Names may carry a leading `./`. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.replace(/\r$/, ''));
    if (!m) throw new Error(`line ${i + 1} of the checksum file is not "<sha256>  <file>": ${JSON.stringify(line.slice(0, 80))}`);
    sums.set(m[2].replace(/^\.\//, ''), m[1].toLowerCase());
  });
  return sums;
}

export interface BundleLayout {
  arch: BundleArch;
  checksumFile: string;
  binary: string;
  images: string;
  installScript: string;
}

/** Which architectures a folder holds a complete bundle for, and the reason for each incomplete one. */
export function bundleLayouts(files: readonly string[]): { layouts: BundleLayout[]; problems: string[] } {
  const have = new Set(files);
  const layouts: BundleLayout[] = [];
  const problems: string[] = [];
  for (const arch of Object.keys(BINARY) as BundleArch[]) {
    const checksumFile = checksumFileName(arch);
    if (!have.has(checksumFile)) continue;
    const images = IMAGE_EXTENSIONS.map((ext) => `k3s-airgap-images-${arch}${ext}`).find((f) => have.has(f));
    const missing = [BINARY[arch], images ? undefined : `k3s-airgap-images-${arch}.tar.zst (or .tar.gz)`, have.has('install.sh') ? undefined : 'install.sh'].filter(
      (f): f is string => f !== undefined && !have.has(f),
    );
    if (missing.length || !images) problems.push(`${arch}: missing ${missing.join(', ')}`);
    else layouts.push({ arch, checksumFile, binary: BINARY[arch], images, installScript: 'install.sh' });
  }
  return { layouts, problems };
}

const VERSION = /v\d+\.\d+\.\d+\+k3s\d+/;

/** A K3s release version in a folder name or in text (the binary embeds it), e.g. `v1.31.4+k3s1`. */
export function findVersion(text: string): string | undefined {
  return VERSION.exec(text)?.[0];
}

export const isVersion = (text: string) => new RegExp(`^${VERSION.source}$`).test(text);
