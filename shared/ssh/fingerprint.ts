import { encodeBase64 } from './base64.js';

/** OpenSSH's `SHA256:` form: unpadded base64 of the SHA-256 digest of the public key blob. */
export function formatSha256Fingerprint(digest: Uint8Array): string {
  if (digest.length !== 32) throw new Error(`a SHA-256 digest has 32 bytes, got ${digest.length}`);
  return `SHA256:${encodeBase64(digest, false)}`;
}

/** The key type is the first SSH string of a public key blob, e.g. `ssh-ed25519`. */
export function keyTypeOfBlob(blob: Uint8Array): string | undefined {
  if (blob.length < 4) return undefined;
  const len = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  const type = new TextDecoder().decode(blob.subarray(4, 4 + len));
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}
