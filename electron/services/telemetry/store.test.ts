import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm, readdir, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryStore } from './store.js';
import { seriesId, type SeriesKey } from '../../../shared/telemetry/series.js';
import { aggregateOf } from '../../../shared/telemetry/stats.js';

const key: SeriesKey = { device: 'gw-1', sensor: 'plc', field: 'temp', unit: 'degC' };
const id = seriesId(key);
const T0 = Date.UTC(2026, 10, 28, 0, 0, 0);
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fk-tstore-'));
  dirs.push(d);
  return d;
}

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function series(n: number, stepMs: number, start = T0): { ts: Float64Array; values: Float64Array } {
  const ts = Float64Array.from({ length: n }, (_, i) => start + i * stepMs);
  const values = Float64Array.from({ length: n }, (_, i) => Math.round((20 + 5 * Math.sin(i / 500) + ((i * 7919) % 13) / 10) * 100) / 100);
  return { ts, values };
}

function firstAtOrAfter(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('TelemetryStore', () => {
  it('answers raw, latest and list queries, before and after reopening', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir);
    const { ts, values } = series(10_000, 100);
    await store.appendColumns(key, ts, values);
    await store.append([{ key: { ...key, field: 'rh', unit: '%' }, ts: T0, value: 40 }]);
    const check = (s: TelemetryStore) => {
      const raw = s.range(id, T0 + 1000, T0 + 2000);
      expect(Array.from(raw.ts)).toEqual(Array.from(ts.subarray(10, 20)));
      expect(Array.from(raw.values)).toEqual(Array.from(values.subarray(10, 20)));
      expect(s.listSeries().map((x) => [x.id, x.count, x.lastTs])).toEqual([[id, 10_000, T0 + 999_900], ['gw-1/plc/rh[%]', 1, T0]]);
      expect(s.latest()).toContainEqual({ id, ts: T0 + 999_900, value: values[9999] });
    };
    check(store);
    await store.close();
    const reopened = await TelemetryStore.open(dir);
    check(reopened);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tks'))).toHaveLength(1);
    await reopened.close();
  });

  it('downsamples exactly like a scan over the raw samples, aligned or not, before and after the rollups are rebuilt at open', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir);
    const { ts, values } = series(200_000, 7);
    await store.appendColumns(key, ts, values);
    checkDownsampling(store, ts, values);
    await store.close();
    const reopened = await TelemetryStore.open(dir);
    checkDownsampling(reopened, ts, values);
    await reopened.rollupsReady;
    checkDownsampling(reopened, ts, values);
    await reopened.close();
  });

  function checkDownsampling(store: TelemetryStore, ts: Float64Array, values: Float64Array): void {
    for (const [from, to, buckets] of [[T0, T0 + 1_400_000, 2000], [T0 + 123, T0 + 1_333_337, 77], [T0 - 5000, T0 + 10_000, 3]] as const) {
      const r = store.downsample(id, from, to, buckets);
      const width = (to - from) / buckets;
      for (let b = 0; b < buckets; b++) {
        const lo = from + width * b;
        const hi = b === buckets - 1 ? to : from + width * (b + 1);
        const expected = aggregateOf(ts, values, firstAtOrAfter(ts, lo), firstAtOrAfter(ts, hi));
        expect(r.count[b]).toBe(expected.count);
        if (expected.count > 0) {
          expect([r.min[b], r.max[b], r.last[b]]).toEqual([expected.min, expected.max, expected.last]);
          expect(r.avg[b]).toBeCloseTo(expected.sum / expected.count, 9);
        }
      }
      const m4 = Array.from(r.m4.ts);
      expect(m4).toEqual([...m4].sort((a, b) => a - b));
      for (let i = 0; i < m4.length; i++) expect(r.m4.values[i]).toBe(values[ts.indexOf(m4[i]!)]);
    }
  }

  it('rejects out-of-order and non-integer timestamps, keeps the rest', async () => {
    const store = await TelemetryStore.open(await tempDir());
    const res = await store.appendColumns(key, Float64Array.from([T0, T0 + 10, T0 + 5, T0 + 10.5, T0 + 20]), Float64Array.from([1, 2, 3, 4, 5]));
    expect(res).toEqual({ accepted: 3, rejected: 2 });
    expect(Array.from(store.range(id, 0, Infinity).values)).toEqual([1, 2, 5]);
    await store.close();
  });

  it('recovers samples that only reached the WAL, across checkpoints', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir, { checkpointBytes: 64 * 1024 });
    const { ts, values } = series(50_000, 10);
    for (let i = 0; i < 50_000; i += 1000) await store.appendColumns(key, ts.subarray(i, i + 1000), values.subarray(i, i + 1000));
    // no close: the process "dies" here; the WAL holds what no segment has. A dead process runs nothing after, so the
    // checkpoint already under way settles first (else it would delete WAL files while the reopened store reads them).
    await (store as unknown as { checkpointing: Promise<void> | null }).checkpointing;
    const reopened = await TelemetryStore.open(dir);
    const raw = reopened.range(id, 0, Infinity);
    expect(raw.ts.length).toBe(50_000);
    expect(Array.from(raw.values)).toEqual(Array.from(values));
    await reopened.close();
    await store.close().catch(() => undefined);
  });

  it('replays sealed chunks and head samples from the WAL, batches of any size', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir);
    const { ts, values } = series(40_000, 10);
    const sizes = [1, 4095, 1, 9000, 3, 4096, 777, 12_000];
    let at = 0;
    for (let i = 0; at < ts.length; i++) {
      const n = sizes[i % sizes.length]!;
      await store.appendColumns(key, ts.subarray(at, at + n), values.subarray(at, at + n));
      at += n;
    }
    // no close: everything is in the WAL only
    const reopened = await TelemetryStore.open(dir);
    expect(Array.from(reopened.range(id, 0, Infinity).values)).toEqual(Array.from(values));
    const more = series(5000, 10, T0 + 400_000);
    await reopened.appendColumns(key, more.ts, more.values);
    await reopened.close();
    const again = await TelemetryStore.open(dir);
    expect(again.listSeries()[0]!.count).toBe(45_000);
    expect(Array.from(again.range(id, T0 + 399_990, Infinity).values)).toEqual([values[39_999], ...more.values]);
    await again.close();
    await store.close().catch(() => undefined);
  });

  it('loses nothing when a checkpoint fails half way (heads sealed, no segment)', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir);
    const { ts, values } = series(20_000, 10);
    await store.appendColumns(key, ts.subarray(0, 6000), values.subarray(0, 6000));
    await mkdir(join(dir, 'seg-0000000001.tks'));
    await expect(store.checkpoint()).rejects.toThrow();
    await store.appendColumns(key, ts.subarray(6000, 9000), values.subarray(6000, 9000));
    await store.appendColumns(key, ts.subarray(9000), values.subarray(9000));
    await rm(join(dir, 'seg-0000000001.tks'), { recursive: true });
    const reopened = await TelemetryStore.open(dir);
    expect(Array.from(reopened.range(id, 0, Infinity).values)).toEqual(Array.from(values));
    await reopened.close();
  });

  it('keeps only unpersisted chunks in memory and reads the others from segments', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir);
    const { ts, values } = series(30_000, 10);
    await store.appendColumns(key, ts, values);
    expect(store.memoryStats().chunkBytes).toBeGreaterThan(0);
    await store.checkpoint();
    expect(store.memoryStats()).toMatchObject({ chunks: 8, chunkBytes: 0 });
    expect(Array.from(store.range(id, T0 + 100_000, T0 + 200_000).values)).toEqual(Array.from(values.subarray(10_000, 20_000)));
    const r = store.downsample(id, T0 + 5, T0 + 299_995, 7);
    expect(Array.from(r.count).reduce((a, b) => a + b)).toBe(29_999);
    await store.close();
    const reopened = await TelemetryStore.open(dir);
    expect(reopened.memoryStats()).toMatchObject({ chunks: 8, chunkBytes: 0 });
    expect(Array.from(reopened.range(id, 0, Infinity).values)).toEqual(Array.from(values));
    await reopened.close();
  });

  it('keeps nanosecond series exact, across reopen', async () => {
    const dir = await tempDir();
    const store = await TelemetryStore.open(dir);
    const nsKey: SeriesKey = { device: 'gw-1', sensor: 'adc', field: 'v', unit: 'V' };
    const base = BigInt(T0) * 1_000_000n + 123_456_789n;
    const tsNs = BigInt64Array.from({ length: 10_000 }, (_, i) => base + BigInt(i) * 250_001n);
    const values = Float64Array.from({ length: 10_000 }, (_, i) => i / 8);
    expect(await store.appendNs(nsKey, tsNs, values)).toEqual({ accepted: 10_000, rejected: 0 });
    expect(await store.appendNs(nsKey, BigInt64Array.from([base + 60n * 86_400_000_000_000n]), Float64Array.from([1]))).toEqual({ accepted: 0, rejected: 1 });
    await store.close();
    const reopened = await TelemetryStore.open(dir);
    const nsId = seriesId(nsKey);
    const raw = reopened.range(nsId, -Infinity, Infinity);
    expect(raw.tsNs).toEqual(tsNs);
    expect(raw.values).toEqual(values);
    expect(reopened.listSeries()[0]).toMatchObject({ timeUnit: 'ns', count: 10_000 });
    expect(reopened.listSeries()[0]!.firstTs).toBeCloseTo(T0 + 123.456789, 3);
    const r = reopened.downsample(nsId, T0, T0 + 3000, 3);
    const expected = [0, 1, 2].map((b) => Array.from(tsNs).filter((t) => t >= BigInt(T0 + b * 1000) * 1_000_000n && t < BigInt(T0 + (b + 1) * 1000) * 1_000_000n).length);
    expect(Array.from(r.count)).toEqual(expected);
    expect(expected).toEqual([3507, 4000, 2493]);
    await reopened.close();
  });
});
