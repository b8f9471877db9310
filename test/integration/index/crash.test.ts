import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogIndex } from '../../../electron/services/index/log-index.js';

const writerScript = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Run {
  acked: Array<[number, number]>;
  highest: number;
}

/** Starts the writer and SIGKILLs it `delayMs` after it printed `ready` (or after spawn, when `beforeReady`). */
function runAndKill(dir: string, start: number, seed: number, delayMs: number, beforeReady: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'jiti/register', writerScript, dir, String(start), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { acked: [], highest: start };
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const kill = () => child.kill('SIGKILL');
    if (beforeReady) timer = setTimeout(kill, delayMs);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready' && !timer) timer = setTimeout(kill, delayMs);
        const ack = /^ack (\d+) (\d+)$/.exec(line);
        if (ack) {
          run.acked.push([Number(ack[1]), Number(ack[2])]);
          run.highest = Math.max(run.highest, Number(ack[2]));
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`));
      else resolve(run);
    });
  });
}

async function presentSequences(index: LogIndex): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await index.search('rec', { limit: 5000, cursor });
    for (const hit of page.hits) seen.push(Number(/^rec (\d+)/.exec(hit.message)?.[1]));
    cursor = page.cursor;
  } while (cursor);
  return seen;
}

describe('log index crash safety', () => {
  it('keeps every acknowledged record exactly once across 30 SIGKILLs mid-ingest', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fk-crash-'));
    dirs.push(dir);
    const acked = new Set<number>();
    let next = 0;
    let seed = 12345;
    for (let round = 0; round < 30; round++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const beforeReady = round % 6 === 5;
      const delay = beforeReady ? 200 + (seed % 600) : seed % 700;
      const run = await runAndKill(dir, next, seed, delay, beforeReady);
      for (const [from, to] of run.acked) for (let seq = from; seq < to; seq++) acked.add(seq);
      // sequence numbers handed out but never acknowledged may or may not be present: skip past them
      next = run.highest + 10_000;

      const index = await LogIndex.open(dir, { idleSealMs: 0 });
      const stats = await index.stats();
      expect(stats.damage.filter((d) => !d.reason.startsWith('WAL tail cut')), `round ${round}`).toEqual([]);
      const present = await presentSequences(index);
      const unique = new Set(present);
      expect(present.length, `round ${round}: duplicates`).toBe(unique.size);
      const missing = [...acked].filter((seq) => !unique.has(seq));
      expect(missing, `round ${round}: acknowledged but missing`).toEqual([]);
      expect(await index.count('rec')).toBe(present.length);
      // odd rounds leave the WAL unsealed so that the next writer replays (and may be killed while sealing) it
      await index.close({ seal: round % 2 === 0 });
    }
    expect(acked.size).toBeGreaterThan(1000);
  });
});
