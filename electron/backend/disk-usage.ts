import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Total size in bytes of the files below `path` (0 when it does not exist). */
export async function diskUsage(path: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let total = 0;
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) total += await diskUsage(child);
    else if (entry.isFile()) total += (await stat(child)).size;
  }
  return total;
}
