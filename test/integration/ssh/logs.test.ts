import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sshd } from '../../harness/sshd.js';
import { collectJournal, pullDiagnosticBundle } from '../../../electron/services/ssh/log-collector.js';
import { MemorySink } from '../../harness/memory-sink.js';
import type { LogSink } from '../../../shared/logs/record.js';
import { openSession, startPeer, stopPeer, type TestEnv } from './env.js';

let sshd: Sshd;
let env: TestEnv;

beforeAll(async () => void ({ sshd, env } = await startPeer({ journal: true })), 30_000);
afterAll(() => stopPeer(sshd, env));

describe('remote log collection', () => {
  it('collects journald export output since a time into the sink with labels, levels and timestamps', async () => {
    const session = await openSession(sshd, env);
    const sink = new MemorySink();
    const result = await collectJournal(session, sink, {
      labels: { device: 'gw-17', site: 'plant-3' },
      since: '2026-11-28 10:00',
      batchRecords: 2,
    });
    expect(result.records).toBe(5);
    expect(result.lastCursor).toMatch(/^s=0b1e;i=5;/);
    expect(sink.durable.map((r) => [r.labels.unit, r.level])).toEqual([
      ['k3s.service', 'info'],
      ['k3s.service', 'warn'],
      ['modbus-bridge.service', 'error'],
      ['sshd.service', 'info'],
      ['kernel', 'debug'],
    ]);
    expect(sink.durable[0]).toMatchObject({
      tsNs: 1764330000123456000n,
      labels: { device: 'gw-17', site: 'plant-3', source: 'journald' },
      message: 'Starting k3s v1.30.4+k3s1',
    });
    expect(sink.durable[3].message).toBe('line one\nline two');
    expect(sink.durable[0].fields?._PID).toBe('1234');
    const args = await readFile(join(sshd.binDir, 'journalctl.args'), 'utf8');
    expect(args).toContain('-o export --no-pager --since 2026-11-28 10:00');
    session.close();
  });

  it('follows the journal live until stopped', async () => {
    const session = await openSession(sshd, env);
    const abort = new AbortController();
    const sink: LogSink & { count: number } = {
      count: 0,
      async append(records) {
        this.count += records.length;
        if (this.count >= 5) abort.abort();
      },
    };
    const result = await collectJournal(session, sink, { labels: { device: 'gw-17' }, follow: true, signal: abort.signal });
    expect(result.records).toBe(5);
    expect((await session.execText('pgrep -f "^sleep 3600" || true')).stdout.trim()).toBe('');
    session.close();
  });

  it('reports a missing journalctl clearly', async () => {
    const session = await openSession(sshd, env);
    await expect(
      collectJournal(session, new MemorySink(), { labels: { device: 'gw-17' }, journalctl: 'no-such-journalctl' }),
    ).rejects.toThrow(/journalctl on gw-17 failed after 0 records: .*not found/);
    session.close();
  });

  it('pulls a diagnostic bundle archive with dmesg, the journal and /var/log', async () => {
    const session = await openSession(sshd, env);
    const bundle = await pullDiagnosticBundle(session, join(env.dir, 'bundles'), { labels: { device: 'gw/17' } });
    expect(bundle.path).toMatch(/bundles\/gw_17-.*\.tar\.gz$/);
    const names = await tarNames(bundle.path);
    expect(names).toEqual(expect.arrayContaining(['./dmesg.txt', './journal.export', './uname.txt']));
    expect(names.some((n) => n.startsWith('var/log/'))).toBe(true);
    expect((await session.execText('ls -d /tmp/fieldkit-diag.* 2>/dev/null || true')).stdout).toBe('');
    session.close();
  });
});

function tarNames(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      names.push(header.name);
      stream.resume();
      stream.on('end', next);
    });
    extract.on('finish', () => resolve(names));
    extract.on('error', reject);
    createReadStream(path).pipe(createGunzip()).pipe(extract);
  });
}
