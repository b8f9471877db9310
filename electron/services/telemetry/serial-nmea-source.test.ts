import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/telemetry/series.js';
import { SerialNmeaSource, type ByteTap } from './serial-nmea-source.js';

const SENTENCES = [
  '$GNRMC,223745.00,A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V*0E',
  '$GNRMC,223746.00,A,3806.62966,N,12237.61384,W,0.061,,110720,,,D,V*0A',
  '$GNRMC,223746.00,A,3806.62966,N,12237.61384,W,0.061,,110720,,,D,V*FF',
];
const TEXT = new TextEncoder().encode(SENTENCES.join('\r\n') + '\r\n');

/** Feeds `chunks` through a source as a serial session's tap would and returns what it stored. */
async function feed(chunks: Uint8Array[]) {
  let listener: ((bytes: Uint8Array) => void) | undefined;
  const serial: ByteTap = { tap: (fn) => ((listener = fn), () => (listener = undefined)) };
  const stored: Sample[] = [];
  const source = new SerialNmeaSource(serial, 'gps', { append: async (s) => void stored.push(...s) });
  source.start();
  for (const c of chunks) listener!(c);
  source.stop();
  await Promise.resolve();
  return { stored, stats: source.stats, tapped: listener !== undefined };
}

describe('NMEA from a serial tap', () => {
  it('gives the same sentences and values however the bytes are split, and counts bad ones', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: TEXT.length - 1 }), { maxLength: 20 }), async (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), TEXT.length];
        const { stored, stats, tapped } = await feed(at.slice(1).map((end, i) => TEXT.subarray(at[i], end)));
        expect(stats).toMatchObject({ messages: 2, badPayloads: 1 });
        expect(stored.filter((s) => s.key.field === 'lat').map((s) => s.value)).toEqual([38 + 6.62964 / 60, 38 + 6.62966 / 60]);
        expect(tapped).toBe(false);
      }),
    );
  });

  it('drops an endless run without a newline instead of growing without bound', async () => {
    const junk = new Uint8Array(5000).fill(0x41);
    const { stats } = await feed([junk, junk, TEXT]);
    // Two dropped runs and the bad checksum; the sentences after the junk still decode.
    expect(stats).toMatchObject({ messages: 2, badPayloads: 3 });
  });
});
