import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatSha256Fingerprint, keyTypeOfBlob } from '../../../shared/ssh/fingerprint.js';
import {
  formatKnownHostsLine,
  judgeHostKey,
  knownKeyTypes,
  parseKnownHosts,
  removeHostLines,
  type HmacSha1,
  type HostKeyVerdict,
  type KnownHostEntry,
} from '../../../shared/ssh/known-hosts.js';
import type { StoredKeyRef } from '../../../shared/ssh/types.js';
import { writePrivateFile } from './private-file.js';

export const hmacSha1: HmacSha1 = (key, data) => createHmac('sha1', key).update(data).digest();

export function sha256Fingerprint(key: Uint8Array): string {
  return formatSha256Fingerprint(createHash('sha256').update(key).digest());
}

export interface TrustJudgement {
  verdict: HostKeyVerdict;
  /** The file that decided: FieldKit's store when it knows the host, otherwise the user's known_hosts. */
  file: string | undefined;
  expected: StoredKeyRef[];
}

/**
 * FieldKit's own known_hosts-format store (written) plus the user's known_hosts files (read only).
 * When FieldKit's store has entries for a host, it decides alone, so a deliberate "replace" overrides stale user entries.
 * Revoked keys from any file always lose.
 */
export class HostTrustStore {
  constructor(
    readonly storeFile: string,
    readonly userKnownHostsFiles: readonly string[],
  ) {}

  async judge(host: string, port: number, key: Uint8Array): Promise<TrustJudgement> {
    const files = await this.load();
    const all = files.flatMap((f) => f.entries);
    const revoked = judgeHostKey(
      all.filter((e) => e.marker === 'revoked'),
      host,
      port,
      key,
      hmacSha1,
    );
    if (revoked.status === 'revoked') return { verdict: revoked, file: fileOf(files, revoked.entry), expected: [] };
    const otherTypes = new Set<string>();
    for (const f of files) {
      const verdict = judgeHostKey(f.entries, host, port, key, hmacSha1);
      if (verdict.status === 'unknown') verdict.knownTypes.forEach((t) => otherTypes.add(t));
      else if (verdict.status === 'changed') {
        return { verdict, file: f.path, expected: verdict.expected.map((e) => refOf(f.path, e)) };
      } else return { verdict, file: f.path, expected: [] };
    }
    return { verdict: { status: 'unknown', knownTypes: [...otherTypes] }, file: undefined, expected: [] };
  }

  async knownTypes(host: string, port: number): Promise<string[]> {
    const files = await this.load();
    return [...new Set(files.flatMap((f) => knownKeyTypes(f.entries, host, port, hmacSha1)))];
  }

  async trust(host: string, port: number, key: Uint8Array): Promise<void> {
    const text = await readOrEmpty(this.storeFile);
    await this.write(`${text.replace(/\n*$/, text ? '\n' : '')}${formatKnownHostsLine(host, port, key)}\n`);
  }

  /** The deliberate action after a changed-key stop: drops FieldKit's entries for the host and stores the new key. */
  async replace(host: string, port: number, key: Uint8Array): Promise<void> {
    const kept = removeHostLines(await readOrEmpty(this.storeFile), host, port, hmacSha1).replace(/\n*$/, '');
    await this.write(`${kept ? `${kept}\n` : ''}${formatKnownHostsLine(host, port, key)}\n`);
  }

  private write(text: string): Promise<void> {
    return writePrivateFile(this.storeFile, text);
  }

  private async load(): Promise<{ path: string; entries: KnownHostEntry[] }[]> {
    const paths = [this.storeFile, ...this.userKnownHostsFiles];
    return Promise.all(paths.map(async (path) => ({ path, entries: parseKnownHosts(await readOrEmpty(path)).entries })));
  }
}

function fileOf(files: { path: string; entries: KnownHostEntry[] }[], entry: KnownHostEntry): string | undefined {
  return files.find((f) => f.entries.includes(entry))?.path;
}

function refOf(file: string, e: KnownHostEntry): StoredKeyRef {
  return { keyType: e.keyType, fingerprint: sha256Fingerprint(e.key), file, line: e.line };
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

export function keyTypeOf(key: Uint8Array): string {
  return keyTypeOfBlob(key) ?? 'unknown';
}
