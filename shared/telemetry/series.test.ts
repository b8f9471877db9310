import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseSeriesId, seriesId } from './series.js';

describe('series ids', () => {
  it('are readable and round-trip', () => {
    expect(seriesId({ device: 'gw-1', sensor: 'plc', field: 'rh', unit: '%' })).toBe('gw-1/plc/rh[%]');
    const name = fc.string({ minLength: 1 }).filter((s) => !/%(2F|5B|5D)/.test(s));
    fc.assert(
      fc.property(name, name, name, fc.string().filter((s) => !/%(2F|5B|5D)/.test(s)), (device, sensor, field, unit) => {
        expect(parseSeriesId(seriesId({ device, sensor, field, unit }))).toEqual({ device, sensor, field, unit });
      }),
    );
  });
});
