// Runs every benchmark (each `bench/<name>.ts`, compiled to dist/bench/<name>.js) in turn, or the ones named.
// Usage: npm run bench [-- name…]; each bench writes bench/results/<name>.json and .md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.js') && file !== 'run.js')
  .map((file) => file.slice(0, -'.js'.length))
  .sort();
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`No benchmark named ${unknown.join(', ')}. Available: ${available.join(', ') || 'none yet'}.`);
  process.exit(2);
}

const chosen = wanted.length > 0 ? wanted : available;
if (chosen.length === 0) console.log('No benchmarks yet: add bench/<name>.ts and it runs here.');
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== bench ${name} ===`);
  const run = spawnSync(process.execPath, [`${here}${name}.js`], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
