import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.js';
import { formatSha256Fingerprint, keyTypeOfBlob } from './fingerprint.js';

// From `ssh-keygen -lf` on a generated key, and `base64 -d | sha256sum` of its blob.
const PUBLIC = 'AAAAC3NzaC1lZDI1NTE5AAAAICDIr8RRwsPthHdWBGPcA9YgShzmaiIQ5/wtM+Z8tARH';
const DIGEST_HEX = 'e36cb4ed1c637f5caf51c6c81fc990fc71a87c058f546001c74ab7580ea47948';
const OPENSSH_FINGERPRINT = 'SHA256:42y07Rxjf1yvUcbIH8mQ/HGofAWPVGABx0q3WA6keUg';

describe('fingerprints', () => {
  it("formats a SHA-256 digest exactly like OpenSSH's ssh-keygen -l", () => {
    const digest = Uint8Array.from(DIGEST_HEX.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(formatSha256Fingerprint(digest)).toBe(OPENSSH_FINGERPRINT);
  });

  it('refuses a digest of the wrong length', () => {
    expect(() => formatSha256Fingerprint(new Uint8Array(20))).toThrow(/32 bytes/);
  });

  it('reads the key type from a public key blob and rejects junk', () => {
    expect(keyTypeOfBlob(decodeBase64(PUBLIC)!)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(new Uint8Array([0, 0, 0, 9, 65]))).toBeUndefined();
    expect(keyTypeOfBlob(new Uint8Array([0, 0, 0, 1, 10]))).toBeUndefined();
    expect(keyTypeOfBlob(new Uint8Array(2))).toBeUndefined();
  });
});
