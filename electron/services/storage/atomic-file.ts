/**
 * Durable file primitives.
 *
 *   await writeFileAtomic(path, bytes)  // readers see the old file or the complete new one, never a torn one;
 *                                       // tmp file in the same dir, fsync, rename, fsync dir
 *   await fsyncDir(dir)                 // make a create/rename/unlink in `dir` survive a power cut
 *   await removeDurably(path)           // unlink (missing is fine) + fsync dir
 */
import { open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let tmpCounter = 0;

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(path: string, data: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${tmpCounter++}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    const parts = data instanceof Uint8Array ? [data] : data;
    await handle.writev(parts as Uint8Array[]);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, path);
  await fsyncDir(dir);
}

export async function removeDurably(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return;
  }
  await fsyncDir(dirname(path));
}

/** Leftovers of writeFileAtomic interrupted by a crash. */
export function isAtomicTempFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}
