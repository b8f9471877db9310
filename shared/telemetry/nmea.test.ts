import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeSentence, nmeaChecksum, parseSentence, type NmeaMessage } from './nmea.js';
import { NmeaStreamDecoder } from './nmea-stream.js';

function withChecksum(body: string): string {
  return `$${body}*${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}`;
}

function decode(line: string): NmeaMessage {
  const r = parseSentence(line);
  if (!r.ok) throw new Error(r.error);
  return decodeSentence(r.sentence);
}

describe('NMEA sentences', () => {
  it('validates checksums and reports the expected one', () => {
    expect(parseSentence('$GPGLL,5251.0093,N,00518.8170,E,094736,A,A*43').ok).toBe(true);
    expect(parseSentence('$GPGLL,5251.0093,N,00518.8170,E,094736,A,A*44')).toMatchObject({ ok: false, error: 'bad checksum 44, expected 43' });
    expect(parseSentence('$GPGLL,1*ZZ')).toMatchObject({ ok: false, error: 'malformed checksum "ZZ"' });
    expect(parseSentence('garbage')).toMatchObject({ ok: false });
  });

  it('decodes each supported type with its talker id', () => {
    expect(decode('$GNGGA,055234.200,4739.71890,N,12219.58362,W,1,14,0.9,76.5,M,-21.6,M,,*4A')).toMatchObject({
      talker: 'GN', type: 'GGA', time: '05:52:34.200', quality: 1, satellites: 14, hdop: 0.9, altitude: 76.5, geoidSep: -21.6,
    });
    const rmc = decode('$GPRMC,094737,A,5251.0093,N,00518.8170,E,5.6,230.5,200818,1.4,E,A*1F');
    expect(rmc).toMatchObject({ type: 'RMC', status: 'A', date: '2018-08-20', speedKn: 5.6, track: 230.5, magvar: 1.4 });
    expect(rmc.lat as number).toBeCloseTo(52.850155, 6);
    expect(decode('$GNGLL,4739.71890,N,12219.58362,W,055234.200,A,A*5F')).toMatchObject({ type: 'GLL', status: 'A', time: '05:52:34.200' });
    expect(decode('$GNGSA,A,3,02,07,14,15,17,20,22,30,,,,,1.5,0.9,1.2,1*3C')).toMatchObject({ mode: 3, prns: [2, 7, 14, 15, 17, 20, 22, 30], pdop: 1.5, systemId: 1 });
    expect(decode('$GPGSV,3,1,12,01,17,083,03,02,20,056,27,07,18,123,25,08,,,15,0*58')).toMatchObject({ messages: 3, message: 1, inView: 12, signalId: '0' });
    expect(decode('$GPVTG,230.5,T,229.1,M,5.6,N,10.4,K,A*19')).toMatchObject({ track: 230.5, trackMag: 229.1, speedKn: 5.6, speedKmh: 10.4 });
    expect(decode('$GNZDA,055234.000,05,08,2026,00,00*46')).toMatchObject({ date: '2026-08-05', time: '05:52:34.000' });
    expect(decode('$SDHDG,229.8,,,1.3,E*36')).toMatchObject({ talker: 'SD', heading: 229.8, variation: 1.3 });
    expect(decode(withChecksum('HEHDT,274.07,T'))).toMatchObject({ talker: 'HE', type: 'HDT', heading: 274.07 });
    expect(decode('$WIMWV,57.5,R,13.0,N,A*26')).toMatchObject({ angle: 57.5, reference: 'R', speed: 13, speedUnit: 'N' });
    expect(decode('$WIMWD,328.2,T,326.8,M,11.2,N,5.8,M*61')).toMatchObject({ directionTrue: 328.2, directionMag: 326.8, speedKn: 11.2, speedMs: 5.8 });
    expect(decode('$IIXDR,C,,C,AIRTEMP,A,-1.0,D,HEEL,A,2.9,D,TRIM,P,,B,BARO,A,-3.9,D,RUDDER*29').measurements).toEqual([
      { kind: 'C', unit: 'C', name: 'AIRTEMP' }, { kind: 'A', value: -1, unit: 'D', name: 'HEEL' }, { kind: 'A', value: 2.9, unit: 'D', name: 'TRIM' },
      { kind: 'P', unit: 'B', name: 'BARO' }, { kind: 'A', value: -3.9, unit: 'D', name: 'RUDDER' },
    ]);
    expect(decode('$SDDPT,5.3,0.4,*79')).toMatchObject({ depth: 5.3, offset: 0.4 });
    expect(decode('$SDDBT,18.0,f,5.4,M,3.0,F*3D')).toMatchObject({ depthFeet: 18, depthMeters: 5.4, depthFathoms: 3 });
    expect(decode(withChecksum('YXMTW,17.5,C'))).toMatchObject({ temperature: 17.5, unit: 'C' });
    expect(decode('$GPTXT,01,01,01,ANTENNA OK*35')).toMatchObject({ type: 'TXT', fields: ['01', '01', '01', 'ANTENNA OK'] });
  });

  it('counts bad lines and keeps their text, stamping samples with the stream time', () => {
    const d = new NmeaStreamDecoder('boat');
    const lines = ['$SDDPT,5.3,0.4,*78', '$GPZDA,094737,20,08,2018,-01,00*6B', '$SDDPT,5.3,0.4,*79', 'noise', '$WIMWV,57.5,R,13.0,N,A*26'];
    const results = lines.map((l) => d.push(l));
    expect(d.valid).toBe(3);
    expect(d.bad.map((b) => [b.line, b.text])).toEqual([[1, '$SDDPT,5.3,0.4,*78'], [4, 'noise']]);
    const depth = results[2]!.kind === 'message' ? results[2]!.samples : [];
    expect(depth).toContainEqual({ key: { device: 'boat', sensor: 'SDDPT', field: 'depth', unit: 'm' }, ts: Date.UTC(2018, 7, 20, 9, 47, 37), value: 5.3 });
    const wind = results[4]!.kind === 'message' ? results[4]!.samples.map((s) => [s.key.field, s.key.unit, s.value]) : [];
    expect(wind).toEqual([['angleRelative', 'deg', 57.5], ['speedRelative', 'kn', 13]]);
  });

  it('never throws, whatever the line', () => {
    const d = new NmeaStreamDecoder('x');
    const sentenceLike = fc
      .tuple(fc.constantFrom('GGA', 'RMC', 'GLL', 'GSA', 'GSV', 'VTG', 'ZDA', 'HDG', 'HDT', 'MWV', 'MWD', 'XDR', 'DPT', 'DBT', 'MTW'), fc.array(fc.string({ maxLength: 12 }), { maxLength: 25 }))
      .map(([type, fields]) => withChecksum(`GP${type},${fields.join(',').replace(/[*$\r\n]/g, '')}`));
    fc.assert(
      fc.property(fc.oneof(fc.string(), sentenceLike), (line) => {
        const r = d.push(line);
        expect(['message', 'bad', 'skip']).toContain(r.kind);
      }),
      { numRuns: 2000 },
    );
  });
});
