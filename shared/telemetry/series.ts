/** Series identity and the sample shape every decoder produces. */

export interface SeriesKey {
  device: string;
  sensor: string;
  field: string;
  /** Unit symbol, e.g. `degC`, `m`, `kn`; empty when dimensionless. */
  unit: string;
}

export interface Sample {
  key: SeriesKey;
  /** Milliseconds since the Unix epoch. */
  ts: number;
  value: number;
}

const SPECIAL = /[/[\]]/;
const escape = (s: string) => (SPECIAL.test(s) ? s.replace(/[/[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : s);
const unescape = (s: string) => s.replace(/%(2F|5B|5D)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Canonical text id: `device/sensor/field[unit]` ('/', '[' and ']' inside names become %2F, %5B, %5D). */
export function seriesId(key: SeriesKey): string {
  return `${escape(key.device)}/${escape(key.sensor)}/${escape(key.field)}[${escape(key.unit)}]`;
}

export function parseSeriesId(id: string): SeriesKey | undefined {
  const m = /^([^/[\]]+)\/([^/[\]]+)\/([^/[\]]+)\[([^/[\]]*)\]$/.exec(id);
  if (!m) return undefined;
  return { device: unescape(m[1]!), sensor: unescape(m[2]!), field: unescape(m[3]!), unit: unescape(m[4]!) };
}
