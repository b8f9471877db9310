import { opendir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';

export type InputKind = 'tar' | 'tar.gz' | 'zip' | 'gz' | 'unsupported' | 'file';

/** A file to read, found from the paths the user gave. */
export interface InputFile {
  path: string;
  /** Name inside the input (relative to the folder given, or the file's base name). */
  name: string;
  size: number;
  mtimeMs: number;
  /** Default device label: the bundle, folder or file name. */
  device: string;
}

const UNSUPPORTED_COMPRESSION = /\.(bz2|xz|zst|lz4|lzma|7z|rar)$/i;

export function inputKind(name: string): InputKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.gz')) return 'gz';
  return UNSUPPORTED_COMPRESSION.test(lower) ? 'unsupported' : 'file';
}

export function deviceName(path: string): string {
  return basename(path).replace(/\.(tar\.gz|tgz|tar|zip|gz)$/i, '') || basename(path);
}

async function* walk(root: string, dir: string, device: string): AsyncGenerator<InputFile> {
  const entries = [];
  for await (const entry of await opendir(dir)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(root, path, device);
    } else if (entry.isFile()) {
      const info = await stat(path);
      yield { path, name: relative(root, path), size: info.size, mtimeMs: info.mtimeMs, device };
    }
  }
}

/** Files under the given paths, folders walked recursively in name order (symlinked folders are not followed). */
export async function collectInputs(paths: readonly string[], device: string | undefined): Promise<{ files: InputFile[]; errors: { path: string; error: string }[] }> {
  const files: InputFile[] = [];
  const errors: { path: string; error: string }[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        for await (const file of walk(path, path, device ?? deviceName(path))) files.push(file);
      } else {
        files.push({ path, name: basename(path), size: info.size, mtimeMs: info.mtimeMs, device: device ?? deviceName(path) });
      }
    } catch (error) {
      errors.push({ path, error: (error as Error).message });
    }
  }
  return { files, errors };
}
