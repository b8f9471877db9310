/** NMEA 0183: sentence framing with checksum validation, and typed decoding of the sentences FieldKit understands. */

export interface NmeaSentence {
  talker: string;
  type: string;
  fields: string[];
  raw: string;
}

export type SentenceResult = { ok: true; sentence: NmeaSentence } | { ok: false; error: string; raw: string };

const HEX = /^[0-9A-Fa-f]{2}$/;

export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i) & 0xff;
  return sum;
}

/** Frames one line. A `*hh` checksum, when present, must match; sentences without one are accepted as sent. */
export function parseSentence(line: string): SentenceResult {
  const raw = line.replace(/[\r\n]+$/, '');
  const fail = (error: string): SentenceResult => ({ ok: false, error, raw });
  const start = raw.search(/[$!]/);
  if (start < 0) return fail('no sentence start ($ or !)');
  const text = raw.slice(start);
  const star = text.lastIndexOf('*');
  let body = text.slice(1);
  if (star >= 0) {
    const given = text.slice(star + 1);
    body = text.slice(1, star);
    if (!HEX.test(given)) return fail(`malformed checksum "${given}"`);
    const expected = nmeaChecksum(body);
    if (parseInt(given, 16) !== expected) return fail(`bad checksum ${given.toUpperCase()}, expected ${expected.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  if (/[^\x20-\x7e]/.test(body)) return fail('non-printable characters');
  const fields = body.split(',');
  const address = fields.shift()!;
  if (!/^[A-Z0-9]{3,6}$/.test(address)) return fail(`malformed address field "${address}"`);
  const proprietary = address.startsWith('P');
  const talker = proprietary ? 'P' : address.slice(0, 2);
  const type = proprietary ? address.slice(1) : address.slice(2);
  if (!proprietary && address.length !== 5) return fail(`malformed address field "${address}"`);
  return { ok: true, sentence: { talker, type, fields, raw: text } };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A decoded sentence: talker and type plus the values the sentence carries (absent fields are left out). */
export interface NmeaMessage {
  talker: string;
  type: string;
  [field: string]: Json | undefined;
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return undefined;
  return Number(s);
};

const int = (s: string | undefined): number | undefined => {
  const n = num(s);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

/** `hhmmss[.sss]` as "hh:mm:ss.sss", or undefined. */
export function nmeaTime(s: string | undefined): string | undefined {
  const m = s ? /^(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(s) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 60) return undefined;
  const frac = m[4] ? Number(m[4]).toFixed(3).slice(1) : '.000';
  return `${m[1]}:${m[2]}:${m[3]}${frac}`;
}

/** `ddmmyy` (RMC) as "YYYY-MM-DD", years 80-99 being 19xx. */
export function nmeaDate(s: string | undefined): string | undefined {
  const m = s ? /^(\d{2})(\d{2})(\d{2})$/.exec(s) : null;
  if (!m) return undefined;
  const yy = Number(m[3]);
  return isoDate(yy >= 80 ? 1900 + yy : 2000 + yy, Number(m[2]), Number(m[1]));
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `ddmm.mmmm`,`N|S` as signed degrees. */
export function nmeaCoordinate(value: string | undefined, hemisphere: string | undefined, degreeDigits: 2 | 3): number | undefined {
  if (!value || !hemisphere) return undefined;
  const m = new RegExp(`^(\\d{${degreeDigits}})(\\d{2}(?:\\.\\d*)?)$`).exec(value);
  if (!m) return undefined;
  const minutes = Number(m[2]);
  if (minutes >= 60) return undefined;
  const deg = Number(m[1]) + minutes / 60;
  if (hemisphere === 'S' || hemisphere === 'W') return -deg;
  return hemisphere === 'N' || hemisphere === 'E' ? deg : undefined;
}

function position(f: string[], at: number): { lat?: number; lon?: number } {
  const lat = nmeaCoordinate(f[at], f[at + 1], 2);
  const lon = nmeaCoordinate(f[at + 2], f[at + 3], 3);
  return lat !== undefined && lon !== undefined ? { lat, lon } : {};
}

function signed(value: number | undefined, direction: string | undefined, negative: string): number | undefined {
  return value === undefined ? undefined : direction === negative ? -value : value;
}

function compact(message: Record<string, Json | undefined>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(message)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

type Decoder = (f: string[]) => Record<string, Json | undefined>;

const DECODERS: Record<string, Decoder> = {
  GGA: (f) => ({
    time: nmeaTime(f[0]),
    ...position(f, 1),
    quality: int(f[5]),
    satellites: int(f[6]),
    hdop: num(f[7]),
    altitude: num(f[8]),
    geoidSep: num(f[10]),
    dgpsAge: num(f[12]),
    dgpsStation: f[13],
  }),
  RMC: (f) => ({
    time: nmeaTime(f[0]),
    status: f[1],
    ...position(f, 2),
    speedKn: num(f[6]),
    track: num(f[7]),
    date: nmeaDate(f[8]),
    magvar: signed(num(f[9]), f[10], 'W'),
    faaMode: f[11],
    navStatus: f[12],
  }),
  GLL: (f) => ({ ...position(f, 0), time: nmeaTime(f[4]), status: f[5], faaMode: f[6] }),
  GSA: (f) => ({
    selection: f[0],
    mode: int(f[1]),
    prns: f.slice(2, 14).filter((p) => p !== '').map(Number).filter(Number.isFinite),
    pdop: num(f[14]),
    hdop: num(f[15]),
    vdop: num(f[16]),
    systemId: int(f[17]),
  }),
  GSV: (f) => {
    const satellites: Json[] = [];
    const groups = Math.floor((f.length - 3) / 4);
    for (let g = 0; g < groups; g++) {
      const [prn, el, az, snr] = f.slice(3 + g * 4, 7 + g * 4);
      if (int(prn) === undefined) continue;
      satellites.push(compact({ prn: int(prn), elevation: num(el), azimuth: num(az), snr: num(snr) }));
    }
    return {
      messages: int(f[0]),
      message: int(f[1]),
      inView: int(f[2]),
      satellites,
      signalId: (f.length - 3) % 4 === 1 ? f[f.length - 1] : undefined,
    };
  },
  VTG: (f) => ({ track: num(f[0]), trackMag: num(f[2]), speedKn: num(f[4]), speedKmh: num(f[6]), faaMode: f[8] }),
  ZDA: (f) => {
    const day = int(f[1]);
    const month = int(f[2]);
    const year = int(f[3]);
    return {
      time: nmeaTime(f[0]),
      date: day !== undefined && month !== undefined && year !== undefined ? isoDate(year, month, day) : undefined,
      tzHours: int(f[4]),
      tzMinutes: int(f[5]),
    };
  },
  HDG: (f) => ({ heading: num(f[0]), deviation: signed(num(f[1]), f[2], 'W'), variation: signed(num(f[3]), f[4], 'W') }),
  HDT: (f) => ({ heading: num(f[0]) }),
  MWV: (f) => ({ angle: num(f[0]), reference: f[1], speed: num(f[2]), speedUnit: f[3], status: f[4] }),
  MWD: (f) => ({ directionTrue: num(f[0]), directionMag: num(f[2]), speedKn: num(f[4]), speedMs: num(f[6]) }),
  XDR: (f) => {
    const measurements: Json[] = [];
    for (let i = 0; i + 3 < f.length + 1; i += 4) {
      if (!f[i]) continue;
      measurements.push(compact({ kind: f[i], value: num(f[i + 1]), unit: f[i + 2], name: f[i + 3] }));
    }
    return { measurements };
  },
  DPT: (f) => ({ depth: num(f[0]), offset: num(f[1]), maxRange: num(f[2]) }),
  DBT: (f) => ({ depthFeet: num(f[0]), depthMeters: num(f[2]), depthFathoms: num(f[4]) }),
  MTW: (f) => ({ temperature: num(f[0]), unit: f[1] }),
};

export const DECODED_TYPES = Object.keys(DECODERS);

/** Typed values for a known sentence type; other types keep their raw fields. */
export function decodeSentence(s: NmeaSentence): NmeaMessage {
  const decoder = DECODERS[s.type];
  if (!decoder) return { talker: s.talker, type: s.type, fields: s.fields };
  return { talker: s.talker, type: s.type, ...compact(decoder(s.fields)) };
}
