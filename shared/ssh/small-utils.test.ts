import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';
import { REDACTED, redactSecrets } from './redact.js';

describe('backoff', () => {
  it('doubles within [window/2, window] and caps at maxMs', () => {
    const opts = (r: number) => ({ baseMs: 100, maxMs: 1000, random: () => r });
    expect([1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, opts(0)))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 5].map((a) => backoffDelayMs(a, opts(0.999999)))).toEqual([100, 200, 1000]);
  });
});

describe('redaction', () => {
  it('hides every occurrence of every secret, longest first', () => {
    expect(redactSecrets('pw=abc; again abc; abcd', ['abc', 'abcd'])).toBe(`pw=${REDACTED}; again ${REDACTED}; ${REDACTED}`);
    expect(redactSecrets('nothing', ['', 'x'])).toBe('nothing');
  });

  it('leaves no secret behind', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (text, secret) => {
        fc.pre(!REDACTED.includes(secret) && !secret.includes(REDACTED));
        expect(redactSecrets(text + secret + text, [secret])).not.toContain(secret);
      }),
    );
  });
});
