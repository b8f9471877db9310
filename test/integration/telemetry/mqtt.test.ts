import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import mqtt from 'mqtt';
import { startMosquitto, type Mosquitto } from '../../harness/mosquitto.js';
import { MqttSource, topicMatches } from '../../../electron/services/telemetry/mqtt-source.js';
import type { Sample } from '../../../shared/telemetry/series.js';
import type { LogRecord } from '../../../shared/logs/record.js';

let broker: Mosquitto;
const users = { fieldkit: 's3cret', sensor: 'pub-pass' };

beforeAll(async () => {
  broker = await startMosquitto({ users, tls: true });
}, 30_000);

afterAll(async () => {
  await broker?.stop();
});

class Collect {
  samples: Sample[] = [];
  logs: LogRecord[] = [];
  readonly sink = { append: async (s: readonly Sample[]) => void this.samples.push(...s) };
  readonly log = { append: async (r: readonly LogRecord[]) => void this.logs.push(...r) };
  async until(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for messages');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function publish(url: string, messages: [string, string][], tls?: { ca: string }): Promise<void> {
  const client = await mqtt.connectAsync(url, { username: 'sensor', password: users.sensor, ca: tls?.ca });
  for (const [topic, payload] of messages) await client.publishAsync(topic, payload, { qos: 1 });
  await client.endAsync();
}

describe('MQTT source against mosquitto', () => {
  it('matches topic filters', () => {
    expect(topicMatches('site/+/env', 'site/a/env')).toBe(true);
    expect(topicMatches('site/#', 'site/a/b')).toBe(true);
    expect(topicMatches('site/+', 'site/a/b')).toBe(false);
  });

  it('maps topics and JSON paths to series, logs bad payloads', async () => {
    const c = new Collect();
    const source = new MqttSource(
      {
        url: broker.url, device: 'gw-7', username: 'fieldkit', password: users.fieldkit,
        topics: [
          { filter: 'plant/+/env', timePath: 'ts', fields: [{ path: 'temp.c', field: 'temperature', unit: 'degC' }, { path: 'rh', field: 'humidity', unit: '%' }] },
          { filter: 'plant/counter', sensor: 'counter' },
        ],
      },
      c.sink, c.log,
    );
    await source.start();
    await publish(broker.url, [
      ['plant/line1/env', JSON.stringify({ ts: '2026-11-28T12:00:00Z', temp: { c: 21.25 }, rh: 40.5 })],
      ['plant/counter', '1234'],
      ['plant/line2/env', 'not json'],
      ['other/topic', '5'],
    ]);
    await c.until(() => source.stats.messages >= 3);
    await source.stop();
    const t = Date.UTC(2026, 10, 28, 12);
    expect(c.samples.filter((s) => s.key.sensor === 'plant/line1/env')).toEqual([
      { key: { device: 'gw-7', sensor: 'plant/line1/env', field: 'temperature', unit: 'degC' }, ts: t, value: 21.25 },
      { key: { device: 'gw-7', sensor: 'plant/line1/env', field: 'humidity', unit: '%' }, ts: t, value: 40.5 },
    ]);
    expect(c.samples.find((s) => s.key.sensor === 'counter')).toMatchObject({ key: { field: 'value' }, value: 1234 });
    expect(source.stats).toEqual({ messages: 3, samples: 3, badPayloads: 1 });
    expect(c.logs).toHaveLength(1);
    expect(c.logs[0]).toMatchObject({ labels: { device: 'gw-7', source: 'mqtt', unit: 'plant/line2/env' }, level: 'warn', message: 'not json' });
  });

  it('works over TLS with the broker CA and refuses bad credentials', async () => {
    const c = new Collect();
    const source = new MqttSource(
      { url: broker.tlsUrl!, device: 'gw-7', username: 'fieldkit', password: users.fieldkit, tls: { ca: broker.caPem }, topics: [{ filter: 'secure/#' }] },
      c.sink,
    );
    await source.start();
    await publish(broker.tlsUrl!, [['secure/x', '{"v": 2.5}']], { ca: broker.caPem! });
    await c.until(() => c.samples.length > 0);
    await source.stop();
    expect(c.samples[0]).toMatchObject({ key: { sensor: 'secure/x', field: 'v' }, value: 2.5 });

    const wrong = new MqttSource({ url: broker.url, device: 'gw-7', username: 'fieldkit', password: 'nope', topics: [{ filter: '#' }] }, c.sink);
    await expect(wrong.start()).rejects.toThrow(/Not authorized|Bad user name or password/i);
    const untrusted = new MqttSource({ url: broker.tlsUrl!, device: 'gw-7', username: 'fieldkit', password: users.fieldkit, topics: [{ filter: '#' }] }, c.sink);
    await expect(untrusted.start()).rejects.toThrow(/certificate/i);
  });
});
