import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import {
  entryMatchesHost,
  formatKnownHostsLine,
  hostLookupName,
  judgeHostKey,
  knownKeyTypes,
  parseKnownHosts,
  removeHostLines,
  type HmacSha1,
} from './known-hosts.js';

const ED_A = 'AAAAC3NzaC1lZDI1NTE5AAAAICDIr8RRwsPthHdWBGPcA9YgShzmaiIQ5/wtM+Z8tARH';
const ED_B = encodeBase64(Uint8Array.from([...decodeBase64(ED_A)!.slice(0, -1), 1]));
const key = (b64: string) => decodeBase64(b64)!;
/** Stand-in HMAC for pure tests (the real HMAC-SHA1 is exercised against ssh-keygen -H in the integration tests). */
const fakeHmac: HmacSha1 = (salt, data) => {
  const out = new Uint8Array(20);
  [...new TextEncoder().encode(data)].forEach((b, i) => (out[i % 20] ^= b ^ salt[i % salt.length]));
  return out;
};
const hashedField = (name: string) => {
  const salt = new Uint8Array(20).fill(7);
  return `|1|${encodeBase64(salt)}|${encodeBase64(fakeHmac(salt, name))}`;
};

describe('known_hosts', () => {
  it('parses plain, bracketed, wildcard, negated, hashed and marked entries; reports bad lines by number', () => {
    const text = [
      '# comment',
      `gw-17,10.0.0.17 ssh-ed25519 ${ED_A} tech@laptop`,
      `[10.0.0.18]:2222 ssh-ed25519 ${ED_A}`,
      `*.plant.example,!bad.plant.example ssh-ed25519 ${ED_A}`,
      `${hashedField('[10.0.0.19]:2200')} ssh-ed25519 ${ED_A}`,
      `@revoked * ssh-ed25519 ${ED_B}`,
      '@weird host ssh-ed25519 AAAA',
      'host-only',
      'host ssh-ed25519 not*base64',
      `host ssh-rsa ${ED_A}`,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text);
    expect(entries.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(entries[0].comment).toBe('tech@laptop');
    expect(entries[4].marker).toBe('revoked');
    expect(problems.map((p) => p.line)).toEqual([7, 8, 9, 10]);
    const matches = (i: number, host: string, port: number) => entryMatchesHost(entries[i], host, port, fakeHmac);
    expect(matches(0, '10.0.0.17', 22)).toBe(true);
    expect(matches(0, 'GW-17', 22)).toBe(true);
    expect(matches(0, 'gw-17', 2222)).toBe(false);
    expect(matches(1, '10.0.0.18', 2222)).toBe(true);
    expect(matches(1, '10.0.0.18', 22)).toBe(false);
    expect(matches(2, 'a.plant.example', 22)).toBe(true);
    expect(matches(2, 'bad.plant.example', 22)).toBe(false);
    expect(matches(3, '10.0.0.19', 2200)).toBe(true);
    expect(matches(3, '10.0.0.19', 22)).toBe(false);
  });

  it('judges trusted, changed, unknown (with other known types) and revoked keys', () => {
    const { entries } = parseKnownHosts(
      [`gw ssh-ed25519 ${ED_A}`, `gw2 ecdsa-sha2-nistp256 ${ecdsaBlob()}`, `@revoked * ssh-ed25519 ${ED_B}`].join('\n'),
    );
    expect(judgeHostKey(entries, 'gw', 22, key(ED_A), fakeHmac).status).toBe('trusted');
    expect(judgeHostKey(entries, 'gw', 22, key(ED_B), fakeHmac).status).toBe('revoked');
    const changed = parseKnownHosts(`gw ssh-ed25519 ${ED_B}`).entries;
    expect(judgeHostKey(changed, 'gw', 22, key(ED_A), fakeHmac)).toMatchObject({ status: 'changed', expected: [{ line: 1 }] });
    expect(judgeHostKey(entries, 'gw2', 22, key(ED_A), fakeHmac)).toEqual({ status: 'unknown', knownTypes: ['ecdsa-sha2-nistp256'] });
    expect(judgeHostKey(entries, 'elsewhere', 22, key(ED_A), fakeHmac)).toEqual({ status: 'unknown', knownTypes: [] });
    expect(knownKeyTypes(entries, 'gw2', 22, fakeHmac)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('writes lines it can read back, and removes only the plain entries of one host', () => {
    const line = formatKnownHostsLine('10.0.0.5', 2222, key(ED_A));
    expect(line).toBe(`[10.0.0.5]:2222 ssh-ed25519 ${ED_A}`);
    const text = `# keep\n${line}\nother ssh-ed25519 ${ED_A}\n@revoked [10.0.0.5]:2222 ssh-ed25519 ${ED_B}\n`;
    const kept = removeHostLines(text, '10.0.0.5', 2222, fakeHmac);
    expect(kept).toBe(`# keep\nother ssh-ed25519 ${ED_A}\n@revoked [10.0.0.5]:2222 ssh-ed25519 ${ED_B}\n`);
    expect(hostLookupName('GW', 22)).toBe('gw');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const { entries } = parseKnownHosts(text);
        for (const e of entries) entryMatchesHost(e, 'h', 22, fakeHmac);
      }),
    );
  });
});

function ecdsaBlob(): string {
  const type = new TextEncoder().encode('ecdsa-sha2-nistp256');
  const blob = new Uint8Array(4 + type.length + 8);
  new DataView(blob.buffer).setUint32(0, type.length);
  blob.set(type, 4);
  return encodeBase64(blob);
}
