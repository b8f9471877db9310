import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryStore } from '../../../electron/services/telemetry/store.js';
import { seriesId } from '../../../shared/telemetry/series.js';
import { transpileForChild } from './transpile.js';
import { crashKey, crashValue, CRASH_T0 } from './crash-data.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'fk-tcrash-'));
  await transpileForChild(join(work, 'code'), ['shared/telemetry', 'electron/services/storage', 'electron/services/telemetry', 'test/integration/telemetry/crash-child.ts', 'test/integration/telemetry/crash-data.ts']);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the child until it has acknowledged at least `minAcked` more samples, then SIGKILLs it after a random pause. */
function runAndKill(dataDir: string, minAcked: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(work, 'code/test/integration/telemetry/crash-child.js'), dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let first = -1;
    let buffered = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) acked = Number(line);
      if (first < 0) first = acked;
      if (!killing && acked - first >= minAcked) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 40);
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('telemetry store under SIGKILL', () => {
  it('keeps every acknowledged sample, bit for bit, through repeated kills', async () => {
    const dataDir = join(work, 'data');
    const id = seriesId(crashKey);
    for (let round = 0; round < 6; round++) {
      const acked = await runAndKill(dataDir, 2000 + Math.floor(Math.random() * 20000));
      const store = await TelemetryStore.open(dataDir);
      const { ts, values } = store.range(id, -Infinity, Infinity);
      expect(ts.length).toBeGreaterThanOrEqual(acked);
      for (let i = 0; i < ts.length; i++) {
        if (ts[i] !== CRASH_T0 + i || !Object.is(values[i], crashValue(i))) throw new Error(`round ${round}: sample ${i} is (${ts[i]}, ${values[i]})`);
      }
      await store.close();
    }
  }, 120_000);
});
