import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexClient } from './index-client.js';
import type { SearchHit } from './log-index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('IndexClient (worker thread)', () => {
  it('appends, searches, tails and reports query errors across the thread boundary', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-client-'));
    const client = await IndexClient.open(dir, { sealRows: 3 });
    const tailed: SearchHit[] = [];
    const stop = await client.subscribe('level>=error', (hits) => tailed.push(...hits));
    const base = 1_764_324_000_000_000_000n;
    await client.append([
      { tsNs: base, labels: { device: 'gw-1', source: 'serial' }, level: 'info', message: 'U-Boot 2024.01 starting' },
      { tsNs: base + 1n, labels: { device: 'gw-1', source: 'serial' }, level: 'error', message: 'mmc0: timeout waiting for hardware' },
    ]);
    await client.flush();
    const page = await client.search('timeout', { limit: 10 });
    expect(page.hits).toEqual([{ tsNs: base + 1n, labels: { device: 'gw-1', source: 'serial' }, level: 'error', message: 'mmc0: timeout waiting for hardware' }]);
    expect(await client.count('')).toBe(2);
    expect((await client.stats()).rows).toBe(2);
    expect(tailed.map((hit) => hit.message)).toEqual(['mmc0: timeout waiting for hardware']);
    await expect(client.search('"unterminated')).rejects.toMatchObject({ name: 'QuerySyntaxError', message: expect.stringMatching(/unterminated/) });
    await stop();
    await client.close();
    await expect(client.count('')).rejects.toThrow(/closed/);
  });
});
