import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CsvDecoder, JsonLinesDecoder, KeyValueDecoder, parseTimestamp } from './text-formats.js';

const t0 = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('text line decoders', () => {
  it('parses timestamps in ISO and epoch s/ms/us/ns', () => {
    expect(parseTimestamp('2026-11-28T12:00:00Z')).toBe(t0);
    expect(parseTimestamp('2026-11-28 12:00:00')).toBe(t0);
    expect(parseTimestamp(String(t0 / 1000))).toBe(t0);
    expect(parseTimestamp(t0)).toBe(t0);
    expect(parseTimestamp(`${t0}000`)).toBe(t0);
    expect(parseTimestamp(`${t0}000000`)).toBe(t0);
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('CSV: header row with units, bad rows reported', () => {
    const d = new CsvDecoder({ device: 'gw', sensor: 'plc' });
    expect(d.push('time,temp[degC],"pressure (bar)",label').samples).toEqual([]);
    expect(d.push('2026-11-28T12:00:00Z,21.5,1.013,ok').samples).toEqual([
      { key: { device: 'gw', sensor: 'plc', field: 'temp', unit: 'degC' }, ts: t0, value: 21.5 },
      { key: { device: 'gw', sensor: 'plc', field: 'pressure', unit: 'bar' }, ts: t0, value: 1.013 },
    ]);
    expect(d.push('2026-11-28T12:00:01Z,21.6').error).toBe('expected 4 cells, got 2');
    expect(d.push('never,1,2,x').error).toBe('no usable timestamp');
  });

  it('JSON lines: configured paths or every numeric leaf', () => {
    const mapped = new JsonLinesDecoder({ device: 'gw', sensor: 'env', timePath: 'at', fields: [{ path: 'env.t', field: 'temperature', unit: 'degC' }] });
    expect(mapped.push(JSON.stringify({ at: t0, env: { t: 19.25, h: 40 } })).samples).toEqual([{ key: { device: 'gw', sensor: 'env', field: 'temperature', unit: 'degC' }, ts: t0, value: 19.25 }]);
    const all = new JsonLinesDecoder({ device: 'gw' });
    expect(all.push('{"ts":"2026-11-28T12:00:00Z","a":{"b":[1,2]},"s":"x"}').samples.map((s) => [s.key.field, s.value])).toEqual([['a.b.0', 1], ['a.b.1', 2]]);
    expect(all.push('{"ts":').error).toMatch(/invalid JSON/);
    expect(all.push('{"v":1}', t0).samples[0]!.ts).toBe(t0);
  });

  it('key=value lines', () => {
    const d = new KeyValueDecoder({ device: 'gw' });
    expect(d.push(`ts=${t0} temp[degC]=20.5 state="on line" count=3`).samples.map((s) => [s.key.field, s.key.unit, s.value, s.ts])).toEqual([
      ['temp', 'degC', 20.5, t0], ['count', '', 3, t0],
    ]);
    expect(d.push('just text').error).toBe('no key=value pairs');
  });

  it('never throw on arbitrary lines', () => {
    const csv = new CsvDecoder({ device: 'd' });
    const json = new JsonLinesDecoder({ device: 'd', fields: [{ path: 'a.b' }] });
    const kv = new KeyValueDecoder({ device: 'd' });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (line) => {
        for (const d of [csv, json, kv]) expect(Array.isArray(d.push(line, t0).samples)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
