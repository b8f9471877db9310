import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { SshProfile } from '../../../shared/ssh/types.js';
import type { ResolvedAuth } from './connect.js';
import { PermanentSshError } from './errors.js';

export interface SecretQuestion {
  profileId: string;
  profileName: string;
  kind: 'password' | 'passphrase';
  keyFile?: string;
}

/** Asks the user (UI dialog, CLI prompt) for a secret that is not stored; undefined = cancelled. */
export type AskSecret = (q: SecretQuestion) => Promise<string | undefined>;

export interface AuthSources {
  storedSecret: () => Promise<string | undefined>;
  askSecret?: AskSecret;
  agentSocket?: string;
}

export function isEncryptedKey(privateKey: Buffer): boolean {
  const parsed = ssh2.utils.parseKey(privateKey);
  return parsed instanceof Error && /passphrase/i.test(parsed.message);
}

export async function readPrivateKey(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new PermanentSshError(`cannot read key file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Turns a profile's auth description into what ssh2 needs, fetching or asking for the secret only when needed. */
export async function resolveAuth(profile: SshProfile, src: AuthSources): Promise<ResolvedAuth> {
  const secret = async (kind: SecretQuestion['kind'], keyFile?: string) => {
    const value =
      (await src.storedSecret()) ??
      (await src.askSecret?.({ profileId: profile.id, profileName: profile.name, kind, ...(keyFile ? { keyFile } : {}) }));
    if (value === undefined) throw new PermanentSshError(`no ${kind} for ${profile.name}`, `Enter the ${kind} or save it with the profile.`);
    return value;
  };
  const { auth } = profile;
  switch (auth.kind) {
    case 'agent': {
      const socket = auth.socket ?? src.agentSocket;
      if (!socket) throw new PermanentSshError('no ssh-agent: SSH_AUTH_SOCK is not set', 'Start ssh-agent or choose a key file.');
      return { kind: 'agent', socket };
    }
    case 'key': {
      const privateKey = await readPrivateKey(auth.identityFile);
      if (!isEncryptedKey(privateKey)) return { kind: 'key', privateKey, source: auth.identityFile };
      return { kind: 'key', privateKey, source: auth.identityFile, passphrase: await secret('passphrase', auth.identityFile) };
    }
    case 'password':
      return { kind: 'password', password: await secret('password') };
    case 'keyboard-interactive':
      return { kind: 'keyboard-interactive', password: await secret('password') };
  }
}
