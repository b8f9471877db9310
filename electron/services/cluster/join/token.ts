import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { tokenSourceSchema } from '../../../../shared/contract/cluster.js';
import { checkCaHash, parseJoinToken, tokenFromCreateOutput, type JoinToken } from '../../../../shared/cluster/join/token.js';
import { shellQuote } from '../../../../shared/ssh/shell-quote.js';
import type { SshSession } from '../../ssh/session.js';
import { RemoteShell } from './remote.js';

export type TokenSource = z.infer<typeof tokenSourceSchema>;

export const SERVER_TOKEN_FILE = '/var/lib/rancher/k3s/server/token';

/** The token as pasted, read from the server, or created there with a TTL. It is only ever returned, never logged. */
export async function resolveToken(source: TokenSource, serverSession: (connectionId: string) => Promise<SshSession>): Promise<JoinToken> {
  if (source.kind === 'pasted') return parseJoinToken(source.token);
  const server = await RemoteShell.open(await serverSession(source.connectionId));
  const stdout =
    source.kind === 'server'
      ? await server.run(`cat ${SERVER_TOKEN_FILE}`, `reading ${SERVER_TOKEN_FILE} on the server`)
      : tokenFromCreateOutput(await server.run(`k3s token create --ttl ${shellQuote(source.ttl)}`, 'k3s token create on the server'));
  return parseJoinToken(stdout);
}

export type CaVerdict = { checked: false } | { checked: true; sha256: string };

/**
 * Fetches `<server>/cacerts` the way the gateway sees it (over its own network path) and compares its sha256 with the
 * token's CA hash. Runs before the token goes anywhere; throws on a mismatch.
 */
export async function verifyServerCa(gateway: SshSession, serverUrl: string, token: JoinToken): Promise<CaVerdict> {
  if (token.kind !== 'secure') return { checked: false };
  const url = shellQuote(`${serverUrl}/cacerts`);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const r = await gateway.exec(`if command -v curl >/dev/null 2>&1; then curl -sSk --max-time 15 ${url}; else wget -qO- --no-check-certificate ${url}; fi`, {
    onStdout: (d) => out.push(d),
    onStderr: (d) => err.push(d),
  });
  if (r.code !== 0) throw new Error(`the gateway could not fetch ${serverUrl}/cacerts: ${Buffer.concat(err).toString('utf8').trim() || `exit code ${r.code}`}`);
  const sha256 = createHash('sha256').update(Buffer.concat(out)).digest('hex');
  const verdict = checkCaHash(token, sha256);
  if (!verdict.ok) {
    throw new CaMismatchError(
      `the server's CA (sha256 ${verdict.actual.slice(0, 16)}…) is not the one the token names (${verdict.expected.slice(0, 16)}…)`,
    );
  }
  return { checked: true, sha256 };
}

export class CaMismatchError extends Error {
  readonly hint =
    'The token belongs to another cluster, the server URL points elsewhere, or something between the gateway and the server intercepts TLS. The token was not sent. Check the server URL and take a fresh token from the server.';
}
