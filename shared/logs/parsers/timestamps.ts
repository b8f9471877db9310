const NS_PER_MS = 1_000_000n;
const DAY_MS = 86_400_000;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

/** Digits after the decimal point (up to 9) as nanoseconds. */
export function fractionToNs(fraction: string | undefined): bigint {
  if (!fraction) return 0n;
  return BigInt(fraction.slice(0, 9).padEnd(9, '0'));
}

function validTime(month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 0 && month <= 11 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
}

/** UTC calendar fields to ns; undefined when a field is out of range. */
export function utcToNs(year: number, month: number, day: number, hour: number, minute: number, second: number, fractionNs: bigint, offsetMinutes = 0): bigint | undefined {
  if (!validTime(month, day, hour, minute, second)) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second) - offsetMinutes * 60_000;
  return Number.isFinite(ms) ? BigInt(ms) * NS_PER_MS + fractionNs : undefined;
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9})\d*)?)?(?:(Z|[+-]\d\d(?::?\d\d)?)| ([+-]\d\d:?\d\d)(?![\d]))?/i;

export interface TimestampMatch {
  tsNs: bigint;
  /** Characters the timestamp occupies at the start of the text. */
  length: number;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

/** ISO 8601 / RFC 3339 at the start of `text`; a time without a zone is taken as UTC. */
export function matchIso8601(text: string): TimestampMatch | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const tsNs = utcToNs(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), fractionToNs(m[7]), zoneOffsetMinutes(m[8] ?? m[9]));
  return tsNs === undefined ? undefined : { tsNs, length: m[0].length };
}

export function parseIso8601(text: string): bigint | undefined {
  const match = matchIso8601(text.trim());
  return match && match.length === text.trim().length ? match.tsNs : undefined;
}

const EPOCH_MIN_S = 946_684_800; // 2000-01-01
const EPOCH_MAX_S = 4_102_444_800; // 2100-01-01

/** Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude (years 2000..2100). */
export function epochToNs(value: number | string): bigint | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const whole = BigInt(m[1]!);
  for (const [scale, nsPerUnit] of [[1n, 1_000_000_000n], [1_000n, 1_000_000n], [1_000_000n, 1_000n], [1_000_000_000n, 1n]] as const) {
    const seconds = whole / scale;
    if (seconds >= EPOCH_MIN_S && seconds < EPOCH_MAX_S) {
      const fraction = m[2] ? (BigInt(m[2].slice(0, 9).padEnd(9, '0')) * nsPerUnit) / 1_000_000_000n : 0n;
      return whole * nsPerUnit + fraction;
    }
  }
  return undefined;
}

/**
 * Year for timestamps that carry none (RFC 3164, klog): the first one takes the latest year that does not put it more
 * than a day after the reference time (the file's mtime, or now); later ones follow on, and a jump back of six months
 * or more (Dec -> Jan) starts the next year.
 */
export class YearInferrer {
  private year: number | undefined;
  private lastMonth = 0;

  constructor(private readonly referenceMs: number) {}

  resolve(month: number, day: number, hour: number, minute: number, second: number, fractionNs: bigint): bigint | undefined {
    if (!validTime(month, day, hour, minute, second)) return undefined;
    if (this.year === undefined) {
      const referenceYear = new Date(this.referenceMs).getUTCFullYear();
      this.year = Date.UTC(referenceYear, month, day, hour, minute, second) > this.referenceMs + DAY_MS ? referenceYear - 1 : referenceYear;
    } else if (this.lastMonth - month >= 6) {
      this.year++;
    } else if (month - this.lastMonth >= 6) {
      this.year--;
    }
    this.lastMonth = month;
    return utcToNs(this.year, month, day, hour, minute, second, fractionNs);
  }
}

const SYSLOG_DATE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const DAY_MONTH_YEAR = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const SLASHED = /^(\d{4})\/(\d\d)\/(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?/;
const EPOCH_PREFIX = /^(\d{10}|\d{13}|\d{16}|\d{19})(?:\.(\d{1,9}))?(?=[\s,:;\]|]|$)/;

/** `Nov  3 09:23:38` (year inferred), optionally `Nov  3 2026 09:23:38` and fractional seconds. */
export function matchSyslogDate(text: string, years: YearInferrer): TimestampMatch | undefined {
  const m = SYSLOG_DATE.exec(text);
  if (!m) return undefined;
  const month = monthIndex(m[1]!);
  if (month < 0) return undefined;
  const args = [month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), fractionToNs(m[7])] as const;
  const tsNs = m[3] ? utcToNs(Number(m[3]), ...args) : years.resolve(...args);
  return tsNs === undefined ? undefined : { tsNs, length: m[0].length };
}

function matchDayMonthYear(text: string): TimestampMatch | undefined {
  const m = DAY_MONTH_YEAR.exec(text);
  if (!m) return undefined;
  const tsNs = utcToNs(Number(m[3]), monthIndex(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), fractionToNs(m[7]));
  return tsNs === undefined ? undefined : { tsNs, length: m[0].length };
}

function matchSlashed(text: string): TimestampMatch | undefined {
  const m = SLASHED.exec(text);
  if (!m) return undefined;
  const tsNs = utcToNs(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fractionToNs(m[7]));
  return tsNs === undefined ? undefined : { tsNs, length: m[0].length };
}

function matchEpoch(text: string): TimestampMatch | undefined {
  const m = EPOCH_PREFIX.exec(text);
  if (!m) return undefined;
  const tsNs = epochToNs(m[2] ? `${m[1]}.${m[2]}` : m[1]!);
  return tsNs === undefined ? undefined : { tsNs, length: m[0].length };
}

/**
 * A timestamp at the start of a line, optionally inside `[...]`: ISO 8601 (with or without zone, fraction up to ns),
 * `yyyy/mm/dd hh:mm:ss`, epoch s/ms/us/ns, syslog `Mmm dd hh:mm:ss`, `dd Mmm yyyy hh:mm:ss`.
 */
export function matchLeadingTimestamp(text: string, years: YearInferrer): TimestampMatch | undefined {
  const bracket = text.startsWith('[') ? 1 : 0;
  const body = bracket ? text.slice(1) : text;
  const match = matchIso8601(body) ?? matchSlashed(body) ?? matchEpoch(body) ?? matchSyslogDate(body, years) ?? matchDayMonthYear(body);
  if (!match) return undefined;
  const closing = bracket && body[match.length] === ']' ? 1 : 0;
  return { tsNs: match.tsNs, length: match.length + bracket + closing };
}

export function nsToIso(tsNs: bigint): string {
  const ms = tsNs / NS_PER_MS;
  const iso = new Date(Number(ms)).toISOString();
  const nanos = ((tsNs % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return `${iso.slice(0, 19)}.${nanos.toString().padStart(9, '0')}Z`;
}
