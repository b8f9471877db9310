import { describe, expect, it } from 'vitest';
import { YearInferrer, epochToNs, matchLeadingTimestamp, nsToIso, parseIso8601 } from './timestamps.js';

const iso = (tsNs: bigint | undefined) => (tsNs === undefined ? undefined : nsToIso(tsNs));
const reference = Date.UTC(2026, 10, 28, 12);

describe('ISO 8601', () => {
  it('reads zones, fractions up to ns, and zoneless times as UTC', () => {
    expect(iso(parseIso8601('2026-11-28T10:00:00Z'))).toBe('2026-11-28T10:00:00.000000000Z');
    expect(iso(parseIso8601('2026-11-28T10:00:00.123456789Z'))).toBe('2026-11-28T10:00:00.123456789Z');
    expect(iso(parseIso8601('2003-08-24T05:14:15.000003-07:00'))).toBe('2003-08-24T12:14:15.000003000Z');
    expect(iso(parseIso8601('2026-11-28 10:00:00,5+0130'))).toBe('2026-11-28T08:30:00.500000000Z');
    expect(iso(parseIso8601('2026-11-28 10:00:00'))).toBe('2026-11-28T10:00:00.000000000Z');
    expect(parseIso8601('2026-13-28T10:00:00Z')).toBeUndefined();
    expect(parseIso8601('xxx')).toBeUndefined();
  });
});

describe('epoch', () => {
  it('tells seconds, ms, us and ns apart by magnitude', () => {
    expect(iso(epochToNs('1764324000'))).toBe('2025-11-28T10:00:00.000000000Z');
    expect(iso(epochToNs('1764324000.25'))).toBe('2025-11-28T10:00:00.250000000Z');
    expect(iso(epochToNs(1764324000123))).toBe('2025-11-28T10:00:00.123000000Z');
    expect(iso(epochToNs('1764324000123456'))).toBe('2025-11-28T10:00:00.123456000Z');
    expect(iso(epochToNs('1764324000123456789'))).toBe('2025-11-28T10:00:00.123456789Z');
    expect(epochToNs('42')).toBeUndefined();
  });
});

describe('year inference', () => {
  it('puts a date after the reference in the previous year and rolls Dec over to Jan', () => {
    const years = new YearInferrer(reference);
    expect(iso(years.resolve(11, 3, 9, 23, 38, 0n))).toBe('2025-12-03T09:23:38.000000000Z');
    expect(iso(years.resolve(11, 31, 23, 59, 59, 0n))).toBe('2025-12-31T23:59:59.000000000Z');
    expect(iso(years.resolve(0, 1, 0, 0, 1, 0n))).toBe('2026-01-01T00:00:01.000000000Z');
    expect(iso(years.resolve(0, 3, 9, 47, 2, 0n))).toBe('2026-01-03T09:47:02.000000000Z');
  });

  it('keeps a date up to a day after the reference in the reference year', () => {
    expect(iso(new YearInferrer(reference).resolve(10, 28, 23, 0, 0, 0n))).toBe('2026-11-28T23:00:00.000000000Z');
    expect(iso(new YearInferrer(reference).resolve(10, 30, 0, 0, 0, 0n))).toBe('2025-11-30T00:00:00.000000000Z');
  });
});

describe('leading timestamps in text', () => {
  const at = (line: string) => {
    const match = matchLeadingTimestamp(line, new YearInferrer(reference));
    return match && { ts: nsToIso(match.tsNs), rest: line.slice(match.length) };
  };
  it('finds the usual forms', () => {
    expect(at('2012-07-02 10:22:40,672:DEBUG:foo')).toEqual({ ts: '2012-07-02T10:22:40.672000000Z', rest: ':DEBUG:foo' });
    expect(at('[2026-11-28T10:00:00.5Z] boot')).toEqual({ ts: '2026-11-28T10:00:00.500000000Z', rest: ' boot' });
    expect(at('2026/11/28 10:00:00 hi')).toEqual({ ts: '2026-11-28T10:00:00.000000000Z', rest: ' hi' });
    expect(at('1764324000.5 tick')).toEqual({ ts: '2025-11-28T10:00:00.500000000Z', rest: ' tick' });
    expect(at('1764324000123 tick')).toEqual({ ts: '2025-11-28T10:00:00.123000000Z', rest: ' tick' });
    expect(at('Nov  3 09:23:38 host')).toEqual({ ts: '2026-11-03T09:23:38.000000000Z', rest: ' host' });
    expect(at('25 Apr 2024 05:32:35.018 * Ready')).toEqual({ ts: '2024-04-25T05:32:35.018000000Z', rest: ' * Ready' });
    expect(at('no time here')).toBeUndefined();
    expect(at('12345 not an epoch')).toBeUndefined();
  });
});
