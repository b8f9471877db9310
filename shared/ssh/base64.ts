const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase64(bytes: Uint8Array, pad = true): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((shift) => ALPHABET[(n >> shift) & 63]);
    const kept = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    out += chars.slice(0, kept).join('');
    if (pad) out += '='.repeat(4 - kept);
  }
  return out;
}

/** Strict decoder: returns undefined for anything that is not base64, so callers can report the bad line. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const body = text.replace(/=+$/, '');
  if (text.length - body.length > 2 || body.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let pos = 0;
  for (const c of body) {
    const v = LOOKUP.get(c);
    if (v === undefined) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[pos++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
