import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration } from './age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (kubectl AGE)', () => {
  it('prints like kubectl at each boundary', () => {
    const cases: [number, string][] = [
      [-5 * s, '<invalid>'],
      [-1 * s, '0s'],
      [0, '0s'],
      [119 * s, '119s'],
      [2 * m, '2m'],
      [5 * m + 30 * s, '5m30s'],
      [10 * m + 59 * s, '10m'],
      [179 * m, '179m'],
      [3 * h, '3h'],
      [7 * h + 59 * m, '7h59m'],
      [8 * h, '8h'],
      [47 * h, '47h'],
      [2 * d + 5 * h, '2d5h'],
      [7 * d, '7d'],
      [8 * d + 5 * h, '8d'],
      [729 * d, '729d'],
      [730 * d, '2y'],
      [3 * 365 * d + 40 * d, '3y40d'],
      [9 * 365 * d, '9y'],
    ];
    for (const [ms, text] of cases) expect([ms, humanDuration(ms)]).toEqual([ms, text]);
  });

  it('always prints one or two units for a valid age', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 365 * d }), (ms) => {
        expect(humanDuration(ms)).toMatch(/^\d+[smhdy](\d+[smhd])?$/);
      }),
    );
  });

  it('ageOf reads RFC 3339 and says <unknown> without a time', () => {
    expect(ageOf('2026-11-28T10:00:00Z', Date.parse('2026-11-28T10:04:00Z'))).toBe('4m');
    expect(ageOf('', 0)).toBe('<unknown>');
    expect(ageOf('not a time', 0)).toBe('<unknown>');
  });
});
