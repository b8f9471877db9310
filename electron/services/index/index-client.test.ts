import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexClient } from './index-client.js';
import { forkIndexProcess, utilityProcessLauncher, type IndexProcess, type LaunchIndexProcess } from './index-process-launch.js';
import { utilityProcessStandIn } from '../../../test/harness/utility-process.js';
import { fileURLToPath } from 'node:url';
import type { ImportProgress } from './import/index.js';
import type { SearchHit } from './log-index.js';

let dir: string | undefined;

/** Node's fork, keeping a handle on the process it starts. */
function forkKeepingHandle(): { launch: LaunchIndexProcess; started: () => IndexProcess } {
  let started: IndexProcess | undefined;
  return { launch: (entry, options) => (started = forkIndexProcess(entry, options)), started: () => started! };
}

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('IndexClient (own process)', () => {
  it('appends, searches, tails and reports query errors across the process boundary', async () => {
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

  it('imports in the index process with progress, and a cancelled import keeps only what it reported', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-client-'));
    const fixtures = fileURLToPath(new URL('../../../test/fixtures/logs/', import.meta.url));
    const client = await IndexClient.open(join(dir, 'index'));
    const progress: ImportProgress[] = [];
    const report = await client.importPaths([`${fixtures}logfile_syslog.0`], { device: 'gw-9', onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ cancelled: false, totals: { records: 4 } });
    expect(progress.at(-1)).toMatchObject({ bytesDone: progress.at(-1)!.bytesTotal, records: 4 });
    expect(await client.count('device:gw-9')).toBe(4);

    const cancelled = await client.importPaths([`${fixtures}bundle`], { device: 'gw-10', signal: AbortSignal.abort() });
    expect(cancelled.cancelled).toBe(true);
    expect(await client.count('device:gw-10')).toBe(cancelled.totals.records);
    await client.close();
  });

  it('runs in a process of its own with the index environment; if that process dies, every call says so', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-client-'));
    const { launch, started } = forkKeepingHandle();
    const client = await IndexClient.open(dir, {}, launch);
    const pid = started().pid!;
    expect(pid).not.toBe(process.pid);
    expect((await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0')).toContain('MALLOC_ARENA_MAX=2');
    expect(await client.count('')).toBe(0);
    process.kill(pid, 'SIGKILL');
    await expect(client.count('')).rejects.toThrow('index process exited (signal SIGKILL)');
    await expect(client.stats()).rejects.toThrow('index process exited (signal SIGKILL)');
  });

  it('reports an index that cannot be opened, and leaves no process behind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-client-'));
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const { launch, started } = forkKeepingHandle();
    await expect(IndexClient.open(file, {}, launch)).rejects.toThrow(/not-a-folder/);
    const gone = new Promise((resolve) => started().onExit(resolve));
    await expect(gone).resolves.toBe('signal SIGTERM');
  });

  it("runs under the app's launcher: a utility process answering through Electron's parentPort (stand-in)", async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-client-'));
    const client = await IndexClient.open(dir, {}, utilityProcessLauncher(utilityProcessStandIn));
    const record = { tsNs: 1_764_324_000_000_000_000n, labels: { device: 'gw-2', source: 'serial' as const }, level: 'warn' as const, message: 'eth0: link down' };
    await client.append([record]);
    expect((await client.search('link', { limit: 5 })).hits).toEqual([record]);
    await client.close();
    await expect(client.count('')).rejects.toThrow(/closed/);
  });
});
