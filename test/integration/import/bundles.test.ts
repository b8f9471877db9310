import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths, type ImportProgress } from '../../../electron/services/index/import/index.js';
import type { LogRecord } from '../../../shared/logs/record.js';
import { MemorySink } from '../../harness/memory-sink.js';

const bundleFixture = fileURLToPath(new URL('../../fixtures/logs/bundle', import.meta.url));
const reference = { referenceTimeMs: Date.UTC(2026, 10, 28, 12) };
let dir: string;

const summary = (records: LogRecord[]) =>
  records.map((record) => `${record.labels.device}|${record.labels.source}|${record.labels.unit ?? ''}|${record.labels.pod ?? ''}|${record.labels.container ?? ''}|${record.level}|${record.tsNs}|${record.message}`).sort();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fieldkit-import-'));
  cpSync(bundleFixture, join(dir, 'gw-17'), { recursive: true });
  execFileSync('tar', ['-cf', join(dir, 'gw-17.tar'), '-C', join(dir, 'gw-17'), 'var']);
  execFileSync('tar', ['-czf', join(dir, 'gw-17.tar.gz'), '-C', join(dir, 'gw-17'), 'var']);
  execFileSync('zip', ['-qr', join(dir, 'gw-17.zip'), 'var'], { cwd: join(dir, 'gw-17') });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundles, folders and compressed files', () => {
  it('a folder imports every file with its detected format and labels', async () => {
    const sink = new MemorySink();
    const report = await importPaths([join(dir, 'gw-17')], sink, { ...reference, site: 'plant-3' });
    expect(report.cancelled).toBe(false);
    expect(report.files.map((file) => [file.path.slice(dir.length + 1), file.format, file.records])).toEqual([
      ['gw-17/var/lib/docker/containers/4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708/4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708-json.log', 'docker-json', 4],
      ['gw-17/var/lib/rancher/k3s/agent/k3s.log', 'klog', 6],
      ['gw-17/var/log/pods/kube-system_coredns-ccb96694c-7xk2p_1f0e2b7c-5d4a-4c1e-9a8e-3b2f1c0d9e8f/coredns/0.log', 'cri', 5],
      ['gw-17/var/log/remote/rfc5424.log', 'syslog', 3],
      ['gw-17/var/log/syslog', 'syslog', 3],
    ]);
    expect(report.totals).toMatchObject({ files: 5, records: 21, errors: 0, skipped: 0 });
    expect(sink.durable).toHaveLength(21);
    expect(new Set(sink.durable.map((record) => `${record.labels.device}/${record.labels.site}`))).toEqual(new Set(['gw-17/plant-3']));
    expect(sink.durable.find((record) => record.labels.source === 'pod' && record.labels.pod)).toMatchObject({ labels: { pod: 'coredns-ccb96694c-7xk2p', container: 'coredns' }, fields: { namespace: 'kube-system', file: 'var/log/pods/kube-system_coredns-ccb96694c-7xk2p_1f0e2b7c-5d4a-4c1e-9a8e-3b2f1c0d9e8f/coredns/0.log' } });
    expect(sink.durable.filter((record) => record.labels.source === 'syslog').map((record) => record.labels.unit)).toEqual(['myproc', 'evntslog', 'su', 'su', 'sensor-app', 'kernel']);
  });

  it('.tar, .tar.gz and .zip give the same records as the folder, device named after the bundle', async () => {
    const folder = new MemorySink();
    await importPaths([join(dir, 'gw-17')], folder, reference);
    for (const bundle of ['gw-17.tar', 'gw-17.tar.gz', 'gw-17.zip']) {
      const sink = new MemorySink();
      const report = await importPaths([join(dir, bundle)], sink, reference);
      expect(report.totals, bundle).toMatchObject({ files: 5, records: 21, errors: 0 });
      expect(report.files.every((file) => file.path.startsWith(`${join(dir, bundle)}!var/`)), bundle).toBe(true);
      expect(summary(sink.durable), bundle).toEqual(summary(folder.durable));
    }
  });

  it('a .gz file is gunzipped and detected by its inner name; device option overrides', async () => {
    const path = join(dir, 'k3s.log');
    cpSync(join(bundleFixture, 'var/lib/rancher/k3s/agent/k3s.log'), path);
    execFileSync('gzip', ['-kf', path]);
    const sink = new MemorySink();
    const report = await importPaths([`${path}.gz`], sink, { ...reference, device: 'gw-99' });
    expect(report.files).toMatchObject([{ format: 'klog', records: 6, device: 'gw-99' }]);
    expect(sink.durable.every((record) => record.labels.device === 'gw-99' && record.labels.source === 'k3s')).toBe(true);
  });

  it('gzipped entries and nested archives inside a bundle are unpacked', async () => {
    const inner = join(dir, 'nested');
    cpSync(join(bundleFixture, 'var/lib/rancher/k3s/agent/k3s.log'), join(inner, 'k3s.log.1'), { recursive: true });
    execFileSync('gzip', ['-f', join(inner, 'k3s.log.1')]);
    execFileSync('tar', ['-cf', join(inner, 'inner.tar'), '-C', join(dir, 'gw-17'), 'var/log/syslog']);
    execFileSync('tar', ['-czf', join(dir, 'outer.tgz'), '-C', inner, 'k3s.log.1.gz', 'inner.tar']);
    const sink = new MemorySink();
    const report = await importPaths([join(dir, 'outer.tgz')], sink, reference);
    expect(report.files.map((file) => [file.path.slice(dir.length + 1), file.format, file.records])).toEqual([
      ['outer.tgz!k3s.log.1.gz', 'klog', 6],
      ['outer.tgz!inner.tar!var/log/syslog', 'syslog', 3],
    ]);
    expect(new Set(sink.durable.map((record) => record.labels.device))).toEqual(new Set(['outer']));
  });

  it('unreadable, corrupt and unsupported inputs are reported; the rest still imports', async () => {
    const corrupt = join(dir, 'broken.tar.gz');
    const whole = execFileSync('cat', [join(dir, 'gw-17.tar.gz')]);
    writeFileSync(corrupt, whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(dir, 'old.log.xz'), 'not really xz');
    const sink = new MemorySink();
    const report = await importPaths([join(dir, 'missing.log'), corrupt, join(dir, 'old.log.xz'), join(dir, 'gw-17.zip')], sink, reference);
    expect(report.files.find((file) => file.path.endsWith('missing.log'))!.error).toMatch(/ENOENT/);
    expect(report.files.find((file) => file.path === corrupt)!.error).toMatch(/unexpected end of file/);
    expect(report.files.find((file) => file.path.endsWith('old.log.xz'))!.skipped).toBe('unsupported compression');
    expect(report.files.filter((file) => file.path.startsWith(join(dir, 'gw-17.zip'))).reduce((sum, file) => sum + file.records, 0)).toBe(21);
    expect(report.totals.errors).toBeGreaterThanOrEqual(2);
    expect(sink.durable.length).toBe(report.totals.records);
  });
});

describe('bad input through the importer', () => {
  it('counts every oddity per file and loses no line', async () => {
    const path = join(dir, 'odd.log');
    const long = Buffer.alloc(10 * 1024 * 1024, 'x');
    writeFileSync(path, Buffer.concat([
      Buffer.from('2026-11-28T10:00:02Z ok\r\n2026-11-28T10:00:01Z earlier\r\nno time here\n2026-11-28T10:00:03Z bad '),
      Buffer.from([0xff, 0x00, 0x41]),
      Buffer.from('\n2026-11-28T10:00:04Z '),
      long,
      Buffer.from('\n2026-11-28T10:00:05Z last line without newline'),
    ]));
    const sink = new MemorySink();
    const report = await importPaths([path], sink, { ...reference, maxLineBytes: 1024 });
    expect(report.files[0]).toMatchObject({ format: 'plain', lines: 6, records: 5, crlf: 2, outOfOrder: 1, invalidUtf8: 1, nulBytes: 1, truncated: 1, noFinalNewline: 1, missingTs: 0 });
    expect(sink.durable.map((record) => record.message.slice(0, 40))).toEqual(['ok', 'earlier\nno time here', 'bad \uFFFD\u2400A', `${'x'.repeat(40)}`, 'last line without newline']);
    expect(sink.durable[3]!.message.endsWith(` …[truncated ${long.length + 21 - 1024} bytes]`)).toBe(true);
  });
});

describe('batches, durability, progress and cancel', () => {
  const lines = 20000;
  let big: string;

  beforeAll(() => {
    big = join(dir, 'big.log');
    const text = Array.from({ length: lines }, (_, i) => `2026-11-28T10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}.${String(i).padStart(9, '0')}Z INFO sensor=${i % 17} value=${i}`).join('\n');
    writeFileSync(big, `${text}\n`);
  });

  it('appends in batches and resolves only when every batch is durable', async () => {
    const sink = new MemorySink(5);
    const report = await importPaths([big], sink, { batchRecords: 3000 });
    expect(report.totals.records).toBe(lines);
    expect(sink.durable).toHaveLength(lines);
    expect(Math.max(...sink.batchSizes)).toBeLessThanOrEqual(3000);
    expect(sink.batchSizes.reduce((sum, size) => sum + size, 0)).toBe(lines);
    expect(sink.durable.every((record, i) => record.fields!.file === 'big.log' && record.message.endsWith(`value=${i}`))).toBe(true);
  });

  it('a failing sink ends the import with an error, also inside a bundle', async () => {
    let calls = 0;
    const failing = { append: async () => { if (++calls === 2) throw new Error('disk full'); } };
    await expect(importPaths([big], failing, { batchRecords: 1000 })).rejects.toThrow('log sink failed: disk full');
    calls = 0;
    await expect(importPaths([join(dir, 'gw-17.tar.gz')], failing, { batchRecords: 2 })).rejects.toThrow('log sink failed: disk full');
  });

  it('reports progress up to the total bytes', async () => {
    const events: ImportProgress[] = [];
    await importPaths([big, join(dir, 'gw-17.tar.gz'), join(dir, 'gw-17.zip')], new MemorySink(), { onProgress: (event) => events.push(event) });
    const last = events.at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.lines).toBe(lines + 2 * 26);
    expect(events.every((event, i) => i === 0 || event.bytesDone >= events[i - 1]!.bytesDone)).toBe(true);
    expect(last.etaSec).toBe(0);
  });

  it('cancel stops the import and reports exactly what reached the sink', async () => {
    const controller = new AbortController();
    const sink = new MemorySink(1);
    const report = await importPaths([big, join(dir, 'gw-17')], sink, {
      signal: controller.signal,
      batchRecords: 1000,
      onProgress: (event) => {
        if (event.records >= 1000) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.totals.records).toBeLessThan(lines);
    expect(report.totals.records).toBeGreaterThan(0);
    expect(sink.durable).toHaveLength(report.totals.records);
    expect(report.files.map((file) => file.path)).toEqual([big]);
  });
});
