/**
 * K3s join tokens. The secure form `K10<sha256 of the server's /cacerts body>::<credentials>` lets the agent check
 * it talks to the right cluster; the short form (`<password>` or `<id>.<secret>`) trusts the first CA it sees.
 */
export type JoinToken =
  | { kind: 'secure'; caHash: string; credentials: string; raw: string }
  | { kind: 'short'; credentials: string; raw: string };

const SECURE = /^K10([0-9a-f]{64})::(.+)$/;

export function parseJoinToken(text: string): JoinToken {
  const raw = text.trim();
  if (!raw) throw new Error('the token is empty');
  if (/\s/.test(raw)) throw new Error('the token contains spaces or line breaks: paste exactly one token');
  if (raw.startsWith('K10')) {
    const m = SECURE.exec(raw);
    if (!m) throw new Error('the token starts with K10 but is not of the form K10<64 hex digits>::<credentials>: it was cut short or mistyped');
    return { kind: 'secure', caHash: m[1], credentials: m[2], raw };
  }
  return { kind: 'short', credentials: raw, raw };
}

/** The pieces of a token that must never be shown: the whole token and its credentials (the CA hash is public). */
export function tokenSecrets(token: JoinToken): string[] {
  const parts = [token.raw, token.credentials];
  const password = /^[^:]+:(.+)$/.exec(token.credentials)?.[1];
  const bootstrapSecret = /^[a-z0-9]{6}\.([a-z0-9]{16})$/.exec(token.credentials)?.[1];
  return [...parts, ...(password ? [password] : []), ...(bootstrapSecret ? [bootstrapSecret] : [])];
}

export type CaCheck = { ok: true } | { ok: false; expected: string; actual: string };

/** `actualHex`: sha256 of the /cacerts body the gateway received. Only secure tokens can be checked. */
export function checkCaHash(token: JoinToken, actualHex: string): CaCheck {
  if (token.kind !== 'secure') return { ok: true };
  const actual = actualHex.toLowerCase();
  return actual === token.caHash ? { ok: true } : { ok: false, expected: token.caHash, actual };
}

/** `k3s token create` prints the new token on its own line; anything else (warnings) is ignored. */
export function tokenFromCreateOutput(stdout: string): string {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => SECURE.test(l) || /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(l));
  if (!line) throw new Error('k3s token create printed no token');
  return line;
}
