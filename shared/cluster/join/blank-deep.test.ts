import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blankDeep } from './blank-deep.js';

describe('blankDeep', () => {
  it('blanks a secret wherever it sits in an event', () => {
    expect(blankDeep({ type: 'journal', line: 'token=K10ab::server:pw here', n: 3, nested: [{ detail: 'pw' }] }, ['K10ab::server:pw', 'pw'])).toEqual({
      type: 'journal',
      line: 'token=[redacted] here',
      n: 3,
      nested: [{ detail: '[redacted]' }],
    });
  });

  it('leaves no secret in any string value', () => {
    const secret = fc.string({ minLength: 4, maxLength: 20 }).filter((s) => !'[redacted]'.includes(s) && !s.includes('[redacted]'));
    fc.assert(
      fc.property(secret, fc.jsonValue(), (s, value) => {
        const withSecret = { value, line: `a${s}b`, list: [s, { deep: s }] };
        const strings: string[] = [];
        const collect = (v: unknown): void => {
          if (typeof v === 'string') strings.push(v);
          else if (Array.isArray(v)) v.forEach(collect);
          else if (v && typeof v === 'object') Object.values(v).forEach(collect);
        };
        collect(blankDeep(withSecret, [s]));
        for (const text of strings) expect(text).not.toContain(s);
      }),
    );
  });
});
