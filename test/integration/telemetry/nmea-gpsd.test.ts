import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NmeaStreamDecoder } from '../../../shared/telemetry/nmea-stream.js';
import type { Fix } from '../../../shared/telemetry/fix.js';

const dir = fileURLToPath(new URL('../../fixtures/nmea/', import.meta.url));
const captures = readdirSync(dir).filter((n) => n.endsWith('.log'));

interface Tpv {
  mode: number;
  time?: string;
  lat?: number;
  lon?: number;
}

/** FieldKit's fix after each sentence of the capture, in input order. */
function fieldkitFixes(capture: string): { sentence: string; fix: Fix }[] {
  const decoder = new NmeaStreamDecoder('gps');
  const out: { sentence: string; fix: Fix }[] = [];
  for (const line of capture.split('\n')) {
    const r = decoder.push(line);
    if (r.kind === 'message') out.push({ sentence: line.trim(), fix: r.fix });
  }
  return out;
}

/** gpsd's TPV reports, each tagged with how many input sentences gpsd had read when it emitted it. */
function gpsdReports(chk: string): { sentences: string[]; tpvs: { after: number; tpv: Tpv }[] } {
  const sentences: string[] = [];
  const tpvs: { after: number; tpv: Tpv }[] = [];
  for (const line of chk.split('\n')) {
    if (line.startsWith('$') || line.startsWith('!')) sentences.push(line.trim());
    else if (line.startsWith('{"class":"TPV"')) tpvs.push({ after: sentences.length, tpv: JSON.parse(line) as Tpv });
  }
  return { sentences, tpvs };
}

describe('NMEA position fixes against gpsd', () => {
  it('has all four gpsd captures', () => {
    expect(captures.sort()).toEqual(['bundg_zeus_9.log', 'quectel-l76k-nmea.log', 'telit-he910.log', 'ublox-neo-m9n-nmea.log']);
  });

  for (const name of captures) {
    it(`${name}: every TPV equals FieldKit's fix (lat/lon within 1e-6 degrees, time, mode)`, () => {
      const ours = fieldkitFixes(readFileSync(join(dir, name), 'utf8'));
      const gpsd = gpsdReports(readFileSync(join(dir, `${name}.chk`), 'utf8'));
      expect(ours.map((o) => o.sentence)).toEqual(gpsd.sentences);
      expect(gpsd.tpvs.length).toBeGreaterThan(50);
      let positions = 0;
      for (const { after, tpv } of gpsd.tpvs) {
        const fix = ours[after - 1]!.fix;
        const where = `${name} TPV after sentence ${after}: ${gpsd.sentences[after - 1]}`;
        expect(fix.mode, where).toBe(tpv.mode);
        expect(fix.time, where).toBe(tpv.time);
        expect(fix.lat === undefined, where).toBe(tpv.lat === undefined);
        if (tpv.lat !== undefined && tpv.lon !== undefined) {
          positions++;
          expect(Math.abs(fix.lat! - tpv.lat), where).toBeLessThanOrEqual(1e-6);
          expect(Math.abs(fix.lon! - tpv.lon), where).toBeLessThanOrEqual(1e-6);
        }
      }
      expect(positions).toBeGreaterThan(50);
    });
  }
});
