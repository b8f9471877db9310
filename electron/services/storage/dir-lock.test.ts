import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDirLock, DirLockedError } from './dir-lock.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('acquireDirLock', () => {
  it('refuses a folder held by another live process and takes over a dead one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dir, 'LOCK'), String(holder.pid));
      await expect(acquireDirLock(dir)).rejects.toEqual(new DirLockedError(dir, holder.pid!));
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const lock = await acquireDirLock(dir);
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    await lock.release();
    const again = await acquireDirLock(dir);
    await again.release();
  });
});
