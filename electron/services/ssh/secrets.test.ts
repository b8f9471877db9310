import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, MemorySecretStore, passphraseCipher, safeStorageCipher, type SafeStorageLike } from './secrets.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('secret stores', () => {
  it('keeps secrets in memory only by default', async () => {
    const store = new MemorySecretStore();
    await store.set('a', 'x');
    expect(store.persistent).toBe(false);
    expect(await store.get('a')).toBe('x');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it('seals secrets in an opt-in passphrase-encrypted file that holds no plaintext', async () => {
    const file = join(dir, 'secrets.json');
    const store = new EncryptedFileSecretStore(file, passphraseCipher('unlock me'));
    await store.set('ssh-profile:1', 'gateway-password-123');
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('gateway-password-123');
    expect(await new EncryptedFileSecretStore(file, passphraseCipher('unlock me')).get('ssh-profile:1')).toBe('gateway-password-123');
    await expect(new EncryptedFileSecretStore(file, passphraseCipher('wrong')).get('ssh-profile:1')).rejects.toThrow(/wrong passphrase/);
    await store.delete('ssh-profile:1');
    expect(await store.get('ssh-profile:1')).toBeUndefined();
  });

  it("uses Electron's safeStorage when injected, and refuses when the keychain is unavailable", async () => {
    const fake: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
      decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
    };
    const store = new EncryptedFileSecretStore(join(dir, 's.json'), safeStorageCipher(fake));
    await store.set('k', 'hunter2');
    expect(await readFile(join(dir, 's.json'), 'utf8')).not.toContain('hunter2');
    expect(await store.get('k')).toBe('hunter2');
    expect(() => safeStorageCipher({ ...fake, isEncryptionAvailable: () => false })).toThrow(/keychain/);
  });

  it('reports a damaged file clearly', async () => {
    const file = join(dir, 'bad.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '42'));
    await expect(new EncryptedFileSecretStore(file, passphraseCipher('p')).get('x')).rejects.toThrow(/not a secrets file/);
  });
});
