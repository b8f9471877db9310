import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../storage/atomic-file.js';

/** Atomic write into a directory only the user can enter (profiles, trust store, sealed secrets). */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, Buffer.from(text, 'utf8'));
}

/** Parsed content of a private JSON file: `whenMissing` if it does not exist, undefined if it is not JSON. */
export async function readPrivateJson(path: string, whenMissing: unknown): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return whenMissing;
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
