// Runs Electronegativity (offline) over the Electron shell and the renderer; fails on any HIGH or MEDIUM finding.
// Reviewed findings carry an `eng-disable` comment at the line and an entry in docs/SECURITY.md.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'fieldkit-electronegativity-'));
try {
  for (const part of ['electron', 'renderer/index.html', 'renderer/src', 'package.json']) cpSync(join(root, part), join(work, 'app', part), { recursive: true });
  const electron = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;
  const report = join(work, 'report.csv');
  execFileSync(join(root, 'node_modules/.bin/electronegativity'), ['-i', join(work, 'app'), '-r', '-e', electron, '-v', 'false', '-o', report], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const rows = readFileSync(report, 'utf8').trim().split('\n').slice(1);
  const findings = rows.map((row) => row.split(',')).map(([check, severity, confidence, file, location]) => ({ check, severity: severity.replaceAll('"', ''), confidence, file, location }));
  for (const f of findings) console.log(`${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.location} (${f.confidence.replaceAll('"', '')})`);
  const blocking = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  console.log(`electronegativity: ${findings.length} findings, ${blocking.length} HIGH or MEDIUM`);
  process.exitCode = blocking.length > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
