import { decodeBase64, encodeBase64 } from './base64.js';
import { keyTypeOfBlob } from './fingerprint.js';

/** HMAC-SHA1(key, data). Injected because shared/ has no crypto; hashed `|1|` entries need it. */
export type HmacSha1 = (key: Uint8Array, data: string) => Uint8Array;

export type HostMatcher =
  | { kind: 'hashed'; salt: Uint8Array; hash: Uint8Array }
  | { kind: 'patterns'; patterns: { negated: boolean; glob: string }[] };

export interface KnownHostEntry {
  /** 1-based line number in the file, so messages can point at it. */
  line: number;
  marker?: 'cert-authority' | 'revoked';
  hosts: HostMatcher;
  keyType: string;
  key: Uint8Array;
  comment?: string;
}

export interface KnownHostsProblem {
  line: number;
  reason: string;
}

export interface KnownHosts {
  entries: KnownHostEntry[];
  problems: KnownHostsProblem[];
}

export type HostKeyVerdict =
  | { status: 'trusted'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'changed'; expected: KnownHostEntry[] }
  | { status: 'unknown'; knownTypes: string[] };

/** The name OpenSSH hashes and matches: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed, line);
    if ('reason' in parsed) problems.push(parsed);
    else entries.push(parsed);
  });
  return { entries, problems };
}

function parseLine(text: string, line: number): KnownHostEntry | KnownHostsProblem {
  const fields = text.split(/\s+/);
  let marker: KnownHostEntry['marker'];
  if (fields[0].startsWith('@')) {
    const m = fields.shift()!.slice(1);
    if (m !== 'cert-authority' && m !== 'revoked') return { line, reason: `unknown marker @${m}` };
    marker = m;
  }
  if (fields.length < 3) return { line, reason: 'expected hosts, key type and base64 key' };
  const [hostField, keyType, keyBase64, ...rest] = fields;
  const hosts = parseHostField(hostField);
  if (!hosts) return { line, reason: 'malformed hashed host entry' };
  const key = decodeBase64(keyBase64);
  if (!key || key.length === 0) return { line, reason: 'key is not valid base64' };
  if (keyTypeOfBlob(key) !== keyType) return { line, reason: `key blob does not hold a ${keyType} key` };
  const comment = rest.join(' ');
  return { line, marker, hosts, keyType, key, ...(comment ? { comment } : {}) };
}

function parseHostField(field: string): HostMatcher | undefined {
  if (field.startsWith('|')) {
    const parts = field.split('|');
    if (parts.length !== 4 || parts[1] !== '1') return undefined;
    const salt = decodeBase64(parts[2]);
    const hash = decodeBase64(parts[3]);
    if (!salt || !hash || salt.length !== 20 || hash.length !== 20) return undefined;
    return { kind: 'hashed', salt, hash };
  }
  const patterns = field
    .split(',')
    .filter((p) => p !== '')
    .map((p) => (p.startsWith('!') ? { negated: true, glob: p.slice(1) } : { negated: false, glob: p }));
  return { kind: 'patterns', patterns };
}

export function globMatches(glob: string, name: string): boolean {
  const source = [...glob.toLowerCase()]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number, hmac: HmacSha1): boolean {
  const name = hostLookupName(host, port);
  if (entry.hosts.kind === 'hashed') return bytesEqual(hmac(entry.hosts.salt, name), entry.hosts.hash);
  let matched = false;
  for (const p of entry.hosts.patterns) {
    if (!globMatches(p.glob, name)) continue;
    if (p.negated) return false;
    matched = true;
  }
  return matched;
}

/** OpenSSH's rules: a revoked key always loses; a matching key wins; same type but other key = changed. */
export function judgeHostKey(
  known: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: Uint8Array,
  hmac: HmacSha1,
): HostKeyVerdict {
  const keyType = keyTypeOfBlob(key);
  const forHost = known.filter((e) => entryMatchesHost(e, host, port, hmac));
  const revoked = known.find((e) => e.marker === 'revoked' && bytesEqual(e.key, key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const match = plain.find((e) => bytesEqual(e.key, key));
  if (match) return { status: 'trusted', entry: match };
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) return { status: 'changed', expected: sameType };
  return { status: 'unknown', knownTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types already trusted for a host: put first in the algorithm list so the server offers a key we can check. */
export function knownKeyTypes(known: readonly KnownHostEntry[], host: string, port: number, hmac: HmacSha1): string[] {
  return [
    ...new Set(
      known.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port, hmac)).map((e) => e.keyType),
    ),
  ];
}

export function formatKnownHostsLine(host: string, port: number, key: Uint8Array, comment?: string): string {
  const type = keyTypeOfBlob(key);
  if (!type) throw new Error('not an SSH public key blob');
  return `${hostLookupName(host, port)} ${type} ${encodeBase64(key)}${comment ? ` ${comment}` : ''}`;
}

/** The file text without the plain (unmarked) entries for this host; comments and other hosts stay. */
export function removeHostLines(text: string, host: string, port: number, hmac: HmacSha1): string {
  const drop = new Set(
    parseKnownHosts(text)
      .entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port, hmac))
      .map((e) => e.line),
  );
  return text
    .split(/\r?\n/)
    .filter((_, i) => !drop.has(i + 1))
    .join('\n');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
