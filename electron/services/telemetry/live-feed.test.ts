import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/telemetry/series.js';
import { LiveFeed, type LiveSample } from './live-feed.js';
import { TelemetryStore } from './store.js';

const key = { device: 'gw', sensor: 'env', field: 'temp', unit: 'degC' };
const at = (ts: number, value: number): Sample => ({ key, ts, value });
let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('LiveFeed', () => {
  it('announces exactly the samples the store keeps, in order, across concurrent appends and a reopen', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fk-live-feed-'));
    let store = await TelemetryStore.open(dir);
    let feed = new LiveFeed(store);
    const heard: LiveSample[] = [];
    feed.subscribe((samples) => heard.push(...samples));
    const results = await Promise.all([feed.append([at(10, 1), at(20, 2)]), feed.append([at(15, 9), at(30, 3)]), feed.append([at(30, 4), at(40.5, 5)])]);
    expect(results.map((r) => r.rejected)).toEqual([0, 1, 1]);
    expect(heard.map((s) => [s.ts, s.value])).toEqual([[10, 1], [20, 2], [30, 3], [30, 4]]);
    expect(heard[0]!.id).toBe('gw/env/temp[degC]');
    await store.close();

    store = await TelemetryStore.open(dir);
    feed = new LiveFeed(store);
    const later: LiveSample[] = [];
    const unsubscribe = feed.subscribe((samples) => later.push(...samples));
    await feed.append([at(25, 0), at(50, 6)]);
    unsubscribe();
    await feed.append([at(60, 7)]);
    expect(later.map((s) => s.ts)).toEqual([50]);
    expect(store.range('gw/env/temp[degC]', 0, 100).ts).toEqual(Float64Array.from([10, 20, 30, 30, 50, 60]));
    await store.close();
  });
});
