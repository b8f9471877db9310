import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCaHash, parseJoinToken, tokenFromCreateOutput, tokenSecrets } from './token.js';

const hash = 'a'.repeat(64);

describe('join tokens', () => {
  it('reads the secure form and checks the CA hash', () => {
    const t = parseJoinToken(`K10${hash}::server:s3cret\n`);
    expect(t).toEqual({ kind: 'secure', caHash: hash, credentials: 'server:s3cret', raw: `K10${hash}::server:s3cret` });
    expect(checkCaHash(t, hash.toUpperCase())).toEqual({ ok: true });
    expect(checkCaHash(t, 'b'.repeat(64))).toEqual({ ok: false, expected: hash, actual: 'b'.repeat(64) });
    expect(tokenSecrets(t)).toContain('s3cret');
  });

  it('accepts a short token but cannot check it', () => {
    const t = parseJoinToken('abcdef.0123456789abcdef');
    expect(t.kind).toBe('short');
    expect(checkCaHash(t, 'c'.repeat(64))).toEqual({ ok: true });
    expect(tokenSecrets(t)).toContain('0123456789abcdef');
  });

  it('refuses cut or mistyped tokens with a reason', () => {
    expect(() => parseJoinToken('')).toThrow(/empty/);
    expect(() => parseJoinToken('K10abc::x')).toThrow(/cut short or mistyped/);
    expect(() => parseJoinToken('two tokens')).toThrow(/exactly one token/);
  });

  it('finds the token in k3s token create output', () => {
    expect(tokenFromCreateOutput(`WARN[0000] something\nK10${hash}::abcdef.0123456789abcdef\n`)).toBe(`K10${hash}::abcdef.0123456789abcdef`);
    expect(() => tokenFromCreateOutput('error: no server\n')).toThrow(/no token/);
  });

  it('parses any secure token back to its parts, and never throws anything but an Error', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const cred = fc.stringMatching(/^[A-Za-z0-9:._-]{1,40}$/);
    fc.assert(
      fc.property(hex, cred, (h, c) => {
        const t = parseJoinToken(`K10${h}::${c}`);
        expect(t).toMatchObject({ kind: 'secure', caHash: h, credentials: c });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const t = parseJoinToken(s);
          expect(t.raw).toBe(s.trim());
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }),
    );
  });
});
