import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding FieldKit's package.json: the checkout, or `app.asar` when packaged. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'fieldkit') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the FieldKit package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function appVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
}

/** The built renderer that both Electron and browser mode load. */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}
