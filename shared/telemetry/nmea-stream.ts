/** Line-by-line NMEA decoding: typed messages, the running fix, samples for the store, and bad lines kept as text. */
import { FixTracker, type Fix } from './fix.js';
import { decodeSentence, parseSentence, type NmeaMessage } from './nmea.js';
import type { Sample, SeriesKey } from './series.js';

export interface BadLine {
  line: number;
  error: string;
  text: string;
}

export type NmeaLineResult =
  | { kind: 'message'; message: NmeaMessage; fix: Fix; samples: Sample[] }
  | { kind: 'bad'; bad: BadLine }
  | { kind: 'skip' };

type FieldMap = ReadonlyArray<readonly [string, string]>;

const SAMPLE_FIELDS: Record<string, FieldMap> = {
  GGA: [['lat', 'deg'], ['lon', 'deg'], ['altitude', 'm'], ['hdop', ''], ['satellites', ''], ['quality', '']],
  RMC: [['lat', 'deg'], ['lon', 'deg'], ['speedKn', 'kn'], ['track', 'deg'], ['magvar', 'deg']],
  GLL: [['lat', 'deg'], ['lon', 'deg']],
  GSA: [['mode', ''], ['pdop', ''], ['hdop', ''], ['vdop', '']],
  GSV: [['inView', '']],
  VTG: [['track', 'deg'], ['trackMag', 'deg'], ['speedKn', 'kn'], ['speedKmh', 'km/h']],
  HDG: [['heading', 'deg'], ['deviation', 'deg'], ['variation', 'deg']],
  HDT: [['heading', 'deg']],
  MWD: [['directionTrue', 'deg'], ['directionMag', 'deg'], ['speedKn', 'kn'], ['speedMs', 'm/s']],
  DPT: [['depth', 'm'], ['offset', 'm']],
  DBT: [['depthMeters', 'm']],
  MTW: [['temperature', 'degC']],
};

const WIND_SPEED_UNITS: Record<string, string> = { N: 'kn', M: 'm/s', K: 'km/h' };
const XDR_UNITS: Record<string, string> = { C: 'degC', D: 'deg', B: 'bar', P: 'Pa', A: 'A', V: 'V', H: '%', M: 'm' };

function messageSamples(device: string, m: NmeaMessage, ts: number): Sample[] {
  const sensor = `${m.talker}${m.type}`;
  const out: Sample[] = [];
  const push = (field: string, unit: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push({ key: { device, sensor, field, unit } satisfies SeriesKey, ts, value });
  };
  for (const [field, unit] of SAMPLE_FIELDS[m.type] ?? []) push(field, unit, m[field]);
  if (m.type === 'MWV' && m.status !== 'V') {
    const suffix = m.reference === 'T' ? 'True' : 'Relative';
    push(`angle${suffix}`, 'deg', m.angle);
    push(`speed${suffix}`, WIND_SPEED_UNITS[String(m.speedUnit)] ?? String(m.speedUnit ?? ''), m.speed);
  }
  if (m.type === 'XDR' && Array.isArray(m.measurements)) {
    for (const x of m.measurements) {
      if (x && typeof x === 'object' && !Array.isArray(x)) push(String(x.name ?? x.kind), XDR_UNITS[String(x.unit)] ?? String(x.unit ?? ''), x.value);
    }
  }
  return out;
}

export class NmeaStreamDecoder {
  readonly tracker = new FixTracker();
  private lineNo = 0;
  valid = 0;
  readonly bad: BadLine[] = [];
  /** Samples dropped because no date was known yet and no receive time was given. */
  undated = 0;

  constructor(private readonly device: string) {}

  /** Decodes one line. `receivedAtMs` stamps samples while the stream has not given a date yet. */
  push(line: string, receivedAtMs?: number): NmeaLineResult {
    this.lineNo++;
    const text = line.replace(/[\r\n]+$/, '');
    if (text.trim() === '' || text.startsWith('#')) return { kind: 'skip' };
    const parsed = parseSentence(text);
    if (!parsed.ok) {
      const bad = { line: this.lineNo, error: parsed.error, text };
      this.bad.push(bad);
      return { kind: 'bad', bad };
    }
    this.valid++;
    const message = decodeSentence(parsed.sentence);
    this.tracker.update(message);
    const ts = this.tracker.currentTimeMs() ?? receivedAtMs;
    let samples = messageSamples(this.device, message, ts ?? 0);
    if (ts === undefined && samples.length > 0) {
      this.undated++;
      samples = [];
    }
    return { kind: 'message', message, fix: this.tracker.current(), samples };
  }
}
