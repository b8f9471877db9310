import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import type { SeriesSamples } from '../../../shared/contract/telemetry.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { startMosquitto, type Mosquitto } from '../../harness/mosquitto.js';

const users = { fieldkit: 'gw-pass', sensor: 'pub-pass' };
const TEMP = 'gw-9/env/temp[degC]';
const HUMIDITY = 'gw-9/env/humidity[%]';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const MESSAGES = 50;

let broker: Mosquitto;
let harness: Harness;

beforeAll(async () => {
  [broker, harness] = await Promise.all([startMosquitto({ users }), overWebSocket()]);
}, 30_000);

afterAll(async () => {
  await harness?.close();
  await broker?.stop();
});

async function publish(messages: [string, string][]): Promise<void> {
  const client = await mqtt.connectAsync(broker.url, { username: 'sensor', password: users.sensor });
  for (const [topic, payload] of messages) await client.publishAsync(topic, payload, { qos: 1 });
  await client.endAsync();
}

/** Everything a stream delivers, merged per series, and whether it ended. */
function collect(batches: SeriesSamples[][]) {
  const merged = new Map<string, { ts: number[]; values: (number | null)[] }>();
  for (const batch of batches)
    for (const s of batch) {
      const m = merged.get(s.id) ?? { ts: [], values: [] };
      m.ts.push(...s.ts);
      m.values.push(...s.values);
      merged.set(s.id, m);
    }
  return merged;
}

const temperature = (i: number) => 20 + Math.sin(i / 5);

describe('the Telemetry section backend over the contract, with a real mosquitto', () => {
  it('subscribes to MQTT, streams the samples live, lists the series and downsamples them', async () => {
    const batches: SeriesSamples[][] = [];
    const stopLive = harness.client.subscribe('telemetry.live', { ids: [TEMP, HUMIDITY] }, { next: (e) => batches.push(e.samples) });
    const source = await harness.client.call('telemetry.mqtt.start', {
      url: broker.url,
      device: 'gw-9',
      username: 'fieldkit',
      password: users.fieldkit,
      topics: [{ filter: 'plant/+/env', sensor: 'env', timePath: 'ts', fields: [{ path: 't.c', field: 'temp', unit: 'degC' }, { path: 'rh', field: 'humidity', unit: '%' }] }],
    });
    expect(source).toMatchObject({ kind: 'mqtt', device: 'gw-9', messages: 0 });
    expect(harness.backend.connections.count).toBe(1);

    const messages: [string, string][] = Array.from({ length: MESSAGES }, (_, i) => ['plant/line1/env', JSON.stringify({ ts: T0 + i * 100, t: { c: temperature(i) }, rh: 40 + i })]);
    await publish([...messages, ['plant/line1/env', 'not json']]);

    await expect.poll(() => collect(batches).get(TEMP)?.ts.length ?? 0, { timeout: 10_000 }).toBe(MESSAGES);
    await expect.poll(() => collect(batches).get(HUMIDITY)?.ts.length ?? 0, { timeout: 10_000 }).toBe(MESSAGES);
    const live = collect(batches);
    expect(live.get(TEMP)!.ts).toEqual(messages.map((_, i) => T0 + i * 100));
    expect(live.get(TEMP)!.values).toEqual(messages.map((_, i) => temperature(i)));
    stopLive();

    const { sources } = await harness.client.call('telemetry.sources', {});
    await expect.poll(async () => (await harness.client.call('telemetry.sources', {})).sources[0]?.badPayloads).toBe(1);
    expect(sources).toHaveLength(1);

    const { series } = await harness.client.call('telemetry.series', {});
    expect(series.find((s) => s.id === TEMP)).toEqual({
      id: TEMP, device: 'gw-9', sensor: 'env', field: 'temp', unit: 'degC', count: MESSAGES, firstTs: T0, lastTs: T0 + (MESSAGES - 1) * 100, lastValue: temperature(MESSAGES - 1),
    });
    expect(series.find((s) => s.id === HUMIDITY)).toMatchObject({ unit: '%', count: MESSAGES });

    const latest = await harness.client.call('telemetry.latest', { ids: [HUMIDITY] });
    expect(latest.values).toEqual([{ id: HUMIDITY, ts: T0 + (MESSAGES - 1) * 100, value: 40 + MESSAGES - 1 }]);

    const q = await harness.client.call('telemetry.query', { id: HUMIDITY, from: T0, to: T0 + MESSAGES * 100, buckets: 5 });
    expect(q.count).toEqual([10, 10, 10, 10, 10]);
    expect(q.min).toEqual([40, 50, 60, 70, 80]);
    expect(q.max).toEqual([49, 59, 69, 79, 89]);
    expect(q.avg).toEqual([44.5, 54.5, 64.5, 74.5, 84.5]);
    expect(q.last).toEqual(q.max);
    // A rising line: per bucket first = min and last = max, so M4 keeps two points per bucket.
    expect(q.m4.values).toEqual([40, 49, 50, 59, 60, 69, 70, 79, 80, 89]);
    const wide = await harness.client.call('telemetry.query', { id: TEMP, from: T0 - 60_000, to: T0 + 60_000, buckets: 4 });
    expect(wide.count).toEqual([0, 0, MESSAGES, 0]);
    expect(wide.min[0]).toBeNull();

    expect(await harness.client.call('telemetry.source.stop', { id: source.id })).toEqual({ stopped: true });
    expect(harness.backend.connections.count).toBe(0);
    expect((await harness.client.call('telemetry.sources', {})).sources).toEqual([]);
  });

  it('explains a refused connection and an unknown series', async () => {
    const refused = await harness.client
      .call('telemetry.mqtt.start', { url: broker.url, device: 'gw-9', username: 'fieldkit', password: 'wrong', topics: [{ filter: '#' }] })
      .catch((e: FieldkitError) => e);
    expect(refused).toMatchObject({ code: 'unavailable', hint: expect.stringMatching(/user name and password/) });
    const nobody = await harness.client.call('telemetry.mqtt.start', { url: 'mqtt://127.0.0.1:1', device: 'gw-9', topics: [{ filter: '#' }] }).catch((e: FieldkitError) => e);
    expect(nobody).toMatchObject({ code: 'unavailable', hint: expect.stringMatching(/reachable/) });
    expect(harness.backend.connections.count).toBe(0);
    const unknown = await harness.client.call('telemetry.query', { id: 'nope/x/y[]', from: 0, to: 10, buckets: 1 }).catch((e: FieldkitError) => e);
    expect(unknown).toMatchObject({ code: 'not_found' });
  });

  it('imports a JSON-lines recording, exports a range to CSV, records a session and replays it', async () => {
    const B = Date.UTC(2026, 10, 27);
    const file = join(harness.dataDir, 'run.jsonl');
    const lines = [`{"ts": ${B + 1000}, "rpm": 1500, "load": 0.5}`, 'garbage', `{"ts": ${B + 2000}, "rpm": 1600}`, `{"ts": ${B + 3000}, "rpm": 1700, "load": 0.75}`];
    await writeFile(file, lines.map((l) => `${l}\n`).join(''));
    const summary = await harness.client.call('telemetry.import', { path: file, format: 'jsonl', device: 'bench', sensor: 'motor' });
    expect(summary).toMatchObject({ lines: 4, badLines: 1, samples: 5, outOfOrder: 0, series: ['bench/motor/load[]', 'bench/motor/rpm[]'] });
    expect(summary.notes[0]).toMatch(/^line 2: invalid JSON/);

    const csv = join(harness.dataDir, 'out.csv');
    const exported = await harness.client.call('telemetry.export', { ids: ['bench/motor/rpm[]', 'bench/motor/load[]'], from: B, to: B + 2500, path: csv });
    expect(exported.rows).toBe(2);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(await readFile(csv, 'utf8')).toBe(
      `time,ts_ms,bench/motor/rpm[],bench/motor/load[]\n${iso(B + 1000)},${B + 1000},1500,0.5\n${iso(B + 2000)},${B + 2000},1600,\n`,
    );
    const again = await harness.client.call('telemetry.export', { ids: ['bench/motor/rpm[]'], from: B, to: B + 2500, path: csv }).catch((e: FieldkitError) => e);
    expect(again).toMatchObject({ code: 'conflict' });

    const session = await harness.client.call('telemetry.session.save', { name: 'bench run', from: B, to: B + 4000, series: ['bench/motor/rpm[]'] });
    expect((await harness.client.call('telemetry.sessions', {})).sessions).toEqual([session]);

    const batches: SeriesSamples[][] = [];
    const clock: number[] = [];
    await new Promise<void>((resolve, reject) =>
      harness.client.subscribe('telemetry.replay', { ids: session.series, from: session.from, to: session.to, speed: 1000 }, {
        next: (e) => {
          batches.push(e.samples);
          clock.push(e.at);
        },
        end: (error) => (error ? reject(error) : resolve()),
      }),
    );
    expect(collect(batches).get('bench/motor/rpm[]')).toEqual({ ts: [B + 1000, B + 2000, B + 3000], values: [1500, 1600, 1700] });
    expect(clock.at(-1)).toBe(B + 4000);
    expect(clock).toEqual([...clock].sort((a, b) => a - b));
    expect(await harness.client.call('telemetry.session.delete', { id: session.id })).toEqual({ deleted: true });
  });
});
