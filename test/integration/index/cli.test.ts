import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFieldkit } from '../../harness/cli-run.js';

const corpus = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runFieldkit(args);

describe('fieldkit index / search CLI', () => {
  it('imports the lnav syslog sample, reports stats and searches it', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fk-cli-index-'));
    dirs.push(dataDir);
    const imported = await cli('--data-dir', dataDir, 'index', 'import', join(corpus, 'logfile_syslog.0'), '--device', 'gw-lab');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported \d+ records from \d+ lines in 1 files/);

    const stats = await cli('--data-dir', dataDir, 'index', 'stats', '--json');
    expect(stats.code).toBe(0);
    const parsed = JSON.parse(stats.stdout) as { rows: number; damage: unknown[] };
    expect(parsed.rows).toBeGreaterThan(0);
    expect(parsed.damage).toEqual([]);

    const all = await cli('--data-dir', dataDir, 'search', '', '--json', '--limit', '10000');
    const hits = all.stdout.trim().split('\n').map((line) => JSON.parse(line) as { tsNs: string; device: string; message: string });
    expect(hits).toHaveLength(parsed.rows);
    expect(hits.every((hit) => hit.device === 'gw-lab')).toBe(true);
    for (let i = 1; i < hits.length; i++) expect(BigInt(hits[i - 1].tsNs) >= BigInt(hits[i].tsNs)).toBe(true);

    const word = hits[0].message.split(/[^A-Za-z0-9]+/).find((w) => w.length > 3)!;
    const found = await cli('--data-dir', dataDir, 'search', word.toUpperCase(), '--limit', '5');
    expect(found.code).toBe(0);
    expect(found.stdout.toLowerCase()).toContain(word.toLowerCase());

    const none = await cli('--data-dir', dataDir, 'search', 'zzzznotthere');
    expect(none).toMatchObject({ code: 1, stdout: '' });
    const bad = await cli('--data-dir', dataDir, 'search', 'level>=loud');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad query: unknown level "loud"/);
  });
});
