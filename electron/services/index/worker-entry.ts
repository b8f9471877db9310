import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled entry `name` (a worker's or the index process's) next to this file; from TypeScript sources (tests,
 * dev) it runs through jiti.
 */
export function workerEntry(name: string): [URL, { execArgv?: string[] }] {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return [compiled, {}];
  return [new URL(`./${name}.ts`, import.meta.url), { execArgv: ['--import', 'jiti/register'] }];
}
