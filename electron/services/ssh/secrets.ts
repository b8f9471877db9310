import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readPrivateJson, writePrivateFile } from './private-file.js';

/** Where passwords and passphrases live. Profiles only hold a reference (the profile id plus a purpose). */
export interface SecretStore {
  /** false: secrets are kept for this process only (the default outside Electron). */
  readonly persistent: boolean;
  get(ref: string): Promise<string | undefined>;
  set(ref: string, value: string): Promise<void>;
  delete(ref: string): Promise<void>;
}

/** Encrypts one secret to an opaque string and back. */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** The part of Electron's `safeStorage` FieldKit needs; the lead injects the real one in the main process. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly map = new Map<string, string>();
  async get(ref: string) {
    return this.map.get(ref);
  }
  async set(ref: string, value: string) {
    this.map.set(ref, value);
  }
  async delete(ref: string) {
    this.map.delete(ref);
  }
}

/** A JSON map of ref -> sealed secret; nothing in it is readable without the cipher's key. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly persistent = true;
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  async get(ref: string) {
    const sealed = (await this.read())[ref];
    return sealed === undefined ? undefined : this.cipher.decrypt(sealed);
  }

  async set(ref: string, value: string) {
    const all = await this.read();
    all[ref] = this.cipher.encrypt(value);
    await this.write(all);
  }

  async delete(ref: string) {
    const all = await this.read();
    delete all[ref];
    await this.write(all);
  }

  private async read(): Promise<Record<string, string>> {
    const parsed = await readPrivateJson(this.file, {});
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`${this.file}: not a secrets file`);
    return parsed as Record<string, string>;
  }

  private write(all: Record<string, string>) {
    return writePrivateFile(this.file, JSON.stringify(all));
  }
}

/** AES-256-GCM with a key derived by scrypt from a passphrase the user chose (opt-in, outside Electron). */
export function passphraseCipher(passphrase: string): SecretCipher {
  const keys = new Map<string, Buffer>();
  const keyFor = (salt: Buffer) => {
    const id = salt.toString('hex');
    if (!keys.has(id)) keys.set(id, scryptSync(passphrase, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 }));
    return keys.get(id)!;
  };
  return {
    encrypt(plain) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', keyFor(salt), iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([salt, iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const d = createDecipheriv('aes-256-gcm', keyFor(raw.subarray(0, 16)), raw.subarray(16, 28));
      d.setAuthTag(raw.subarray(28, 44));
      try {
        return Buffer.concat([d.update(raw.subarray(44)), d.final()]).toString('utf8');
      } catch {
        throw new Error('cannot decrypt the secrets file: wrong passphrase or damaged file');
      }
    },
  };
}

export function safeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available; secrets are not saved');
  return {
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
