import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A worker script next to this file, compiled; from TypeScript sources (tests, dev) it runs through jiti. */
export function workerEntry(name: string): [URL, { execArgv?: string[] }] {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return [compiled, {}];
  return [new URL(`./${name}.ts`, import.meta.url), { execArgv: ['--import', 'jiti/register'] }];
}
