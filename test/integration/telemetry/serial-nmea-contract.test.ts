import { open, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NmeaStreamDecoder } from '../../../shared/telemetry/nmea-stream.js';
import { seriesId } from '../../../shared/telemetry/series.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/nmea/ublox-neo-m9n-nmea.log', import.meta.url));
const DEVICE = 'gps-7';

let pair: PtyPair;
let harness: Harness;

beforeAll(async () => {
  [pair, harness] = await Promise.all([startPtyPair(), overWebSocket()]);
}, 30_000);

afterAll(async () => {
  await harness?.close();
  await pair?.stop();
});

/** What FieldKit's decoder makes of the capture on its own: values per series in order, and sentence counts. */
function reference(lines: readonly string[]) {
  const decoder = new NmeaStreamDecoder(DEVICE);
  const values = new Map<string, number[]>();
  for (const line of lines) {
    const r = decoder.push(line, 0);
    if (r.kind !== 'message') continue;
    for (const s of r.samples) values.set(seriesId(s.key), [...(values.get(seriesId(s.key)) ?? []), s.value]);
  }
  return { values, valid: decoder.valid, bad: decoder.bad.length };
}

/** Writes to the far end of the cable in small bursts, as a receiver would. */
async function transmit(path: string, text: string): Promise<void> {
  const tty = await open(path, 'w');
  try {
    for (let at = 0; at < text.length; at += 1000) await tty.write(text.slice(at, at + 1000), null, 'latin1');
  } finally {
    await tty.close();
  }
}

describe('live NMEA from an open serial session into telemetry, over the contract and a socat pty pair', () => {
  it('decodes the sentences arriving on the session into series with the right values, and stops', async () => {
    const capture = await readFile(FIXTURE, 'latin1');
    const expected = reference(capture.split('\n'));
    expect(expected.valid).toBeGreaterThan(1000);

    const session = await harness.client.call('serial.open', { path: pair.a, settings: { baudRate: 115200 } });
    const source = await harness.client.call('telemetry.serial.start', { sessionId: session.id, device: DEVICE, format: 'nmea' });
    expect(source).toMatchObject({ kind: 'serial', device: DEVICE, messages: 0, samples: 0 });
    await expect(harness.client.call('telemetry.serial.start', { sessionId: session.id, format: 'nmea' })).rejects.toMatchObject({ code: 'conflict' });

    await transmit(pair.b, capture.replace(/\n/g, '\r\n'));
    await expect.poll(async () => (await harness.client.call('telemetry.sources', {})).sources[0]?.messages, { timeout: 20_000 }).toBe(expected.valid);
    const [listed] = (await harness.client.call('telemetry.sources', {})).sources;
    expect(listed).toMatchObject({ id: source.id, badPayloads: expected.bad, samples: [...expected.values.values()].reduce((n, v) => n + v.length, 0) });

    const lat = seriesId({ device: DEVICE, sensor: 'GNRMC', field: 'lat', unit: 'deg' });
    expect(expected.values.get(lat)?.length).toBe(61);
    // $GNRMC,223745.00,A,3806.62964,N,12237.61382,W,... is the capture's first fix.
    const lon = seriesId({ device: DEVICE, sensor: 'GNRMC', field: 'lon', unit: 'deg' });
    const first = async (id: string) => (await harness.client.call('telemetry.range', { id, from: 0, to: 8e15, limit: 1 })).values[0];
    expect(await first(lat)).toBeCloseTo(38 + 6.62964 / 60, 9);
    expect(await first(lon)).toBeCloseTo(-(122 + 37.61382 / 60), 9);
    const { series } = await harness.client.call('telemetry.series', {});
    expect(series.map((s) => s.id).sort()).toEqual([...expected.values.keys()].sort());
    for (const [id, values] of expected.values) {
      await expect.poll(async () => (await harness.client.call('telemetry.range', { id, from: 0, to: 8e15, limit: 100_000 })).values, { timeout: 10_000 }).toEqual(values);
    }

    expect(await harness.client.call('telemetry.source.stop', { id: source.id })).toEqual({ stopped: true });
    const tail = capture.split('\n').slice(0, 200).join('\r\n') + '\r\n';
    const received = async () => (await harness.client.call('serial.sessions', {})).sessions.find((s) => s.id === session.id)!.bytesIn;
    const before = await received();
    await transmit(pair.b, tail);
    await expect.poll(received, { timeout: 10_000 }).toBe(before + tail.length);
    await harness.client.call('serial.close', { sessionId: session.id });
    expect((await harness.client.call('telemetry.series', {})).series.find((s) => s.id === lat)!.count).toBe(expected.values.get(lat)!.length);
  }, 60_000);

  it('ends the source when its serial session closes, and refuses a session that is not open', async () => {
    const session = await harness.client.call('serial.open', { path: pair.a, settings: { baudRate: 9600 } });
    const source = await harness.client.call('telemetry.serial.start', { sessionId: session.id, format: 'nmea' });
    expect(source.device).not.toBe('');
    await harness.client.call('serial.close', { sessionId: session.id });
    await expect.poll(async () => (await harness.client.call('telemetry.sources', {})).sources).toEqual([]);
    await expect(harness.client.call('telemetry.serial.start', { sessionId: session.id, format: 'nmea' })).rejects.toMatchObject({ code: 'not_found', hint: expect.stringMatching(/Open the port/) });
  }, 30_000);
});
