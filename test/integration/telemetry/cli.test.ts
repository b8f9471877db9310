import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFieldkit } from '../../harness/cli-run.js';

const fixtures = fileURLToPath(new URL('../../fixtures/nmea/', import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const cli = (...args: string[]) => runFieldkit(args);

describe('fieldkit decode / telemetry CLI', () => {
  it('decode nmea prints one JSON line per valid sentence and sums up bad ones on stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fk-tcli-'));
    dirs.push(dir);
    const capture = await readFile(join(fixtures, 'quectel-l76k-nmea.log'), 'utf8');
    const file = join(dir, 'mixed.nmea');
    await writeFile(file, `${capture}$GPGGA,broken*00\nline noise\n`);
    const { code, stdout: out, stderr: err } = await cli('decode', 'nmea', file);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(capture.split('\n').filter((l) => l.startsWith('$')).length);
    expect(lines.find((l) => l.type === 'RMC')).toMatchObject({ talker: 'GN', type: 'RMC', time: '05:52:34.000', status: 'A', date: '2026-08-05' });
    expect(err).toMatch(/^2 bad sentence\(s\), \d+ valid:/);
    expect(err).toContain('bad checksum 00');
  });

  it('imports NMEA and CSV, lists series and answers raw and bucketed queries', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fk-tcli-'));
    dirs.push(dataDir);
    const imported = await cli('--data-dir', dataDir, 'telemetry', 'import', join(fixtures, 'bundg_zeus_9.log'), '--format', 'nmea', '--device', 'boat');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^imported \d+ samples into \d+ series from 5009 lines \(0 bad lines/);

    const csv = join(dataDir, 'plc.csv');
    await writeFile(csv, 'time,temp[degC],state\n2026-11-28T12:00:00Z,20.5,on\n2026-11-28T12:00:01Z,20.75,on\nbroken\n');
    const csvImport = await cli('--data-dir', dataDir, 'telemetry', 'import', csv, '--format', 'csv', '--device', 'gw', '--sensor', 'plc');
    expect(csvImport.stdout).toContain('imported 2 samples into 1 series from 4 lines (1 bad lines');

    const series = JSON.parse((await cli('--data-dir', dataDir, 'telemetry', 'series', '--json')).stdout) as { id: string; count: number }[];
    expect(series.map((s) => s.id)).toEqual(expect.arrayContaining(['boat/SDDPT/depth[m]', 'boat/GPGGA/lat[deg]', 'boat/IIXDR/HEEL[deg]', 'gw/plc/temp[degC]']));
    const depth = series.find((s) => s.id === 'boat/SDDPT/depth[m]')!;

    const raw = JSON.parse((await cli('--data-dir', dataDir, 'telemetry', 'query', 'boat/SDDPT/depth', '--json')).stdout) as { samples: [number, number][] };
    expect(raw.samples).toHaveLength(depth.count);
    const bucketed = JSON.parse((await cli('--data-dir', dataDir, 'telemetry', 'query', 'boat/SDDPT/depth[m]', '--buckets', '10', '--json')).stdout) as { rows: { count: number; min?: number }[]; m4: [number, number][] };
    expect(bucketed.rows).toHaveLength(10);
    expect(bucketed.rows.reduce((n, r) => n + r.count, 0)).toBe(depth.count);
    expect(Math.min(...bucketed.rows.filter((r) => r.count).map((r) => r.min!))).toBe(Math.min(...raw.samples.map((s) => s[1])));

    const csvQuery = await cli('--data-dir', dataDir, 'telemetry', 'query', 'gw/plc/temp', '--from', '2026-11-28T12:00:00Z', '--to', '2026-11-28T12:00:01Z');
    expect(csvQuery.stdout).toBe('2026-11-28T12:00:00.000Z\t20.5\n');
    const missing = await cli('--data-dir', dataDir, 'telemetry', 'query', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no series "nope"');
  });
});
