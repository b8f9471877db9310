import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../../shared/ssh/shell-quote.js';

describe('shellQuote against a real /bin/sh', () => {
  it('passes any argument through unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 }), (args) => {
        const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${args.map(shellQuote).join(' ')}`]).toString();
        expect(out.split('\0').slice(0, -1)).toEqual(args);
      }),
      { numRuns: 60 },
    );
  });
});
