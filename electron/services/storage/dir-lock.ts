/**
 * One process at a time per data folder.
 *
 *   const lock = await acquireDirLock(dir);   // throws DirLockedError naming the live process that holds it
 *   …
 *   await lock.release();
 *
 * The lock is `<dir>/LOCK` holding the owner's pid. A lock left by a process that no longer runs (crash, SIGKILL)
 * is taken over. The same process may take it again (one process, one owner: it must coordinate itself).
 */
import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class DirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`${dir} is in use by process ${pid}`);
    this.name = 'DirLockedError';
  }
}

export interface DirLock {
  release(): Promise<void>;
}

export async function acquireDirLock(dir: string): Promise<DirLock> {
  const path = join(dir, 'LOCK');
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw new DirLockedError(dir, owner);
    await writeFile(path, String(process.pid));
  }
  return {
    async release() {
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (owner === process.pid) await unlink(path).catch(() => undefined);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
