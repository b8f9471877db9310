import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../services/ssh/secrets.js';
import { SessionSecrets } from './session-secrets.js';

describe('SessionSecrets', () => {
  it('prefers a held secret over the saved one, only while it is held, and never saves it', async () => {
    const saved = new MemorySecretStore();
    await saved.set('ssh-profile:a', 'saved-one');
    const secrets = new SessionSecrets(saved);
    const release = secrets.hold('ssh-profile:a', 'typed-one');
    expect(await secrets.get('ssh-profile:a')).toBe('typed-one');
    expect(await saved.get('ssh-profile:a')).toBe('saved-one');
    release();
    expect(await secrets.get('ssh-profile:a')).toBe('saved-one');
  });

  it('a release does not drop a newer hold of the same reference', async () => {
    const secrets = new SessionSecrets(new MemorySecretStore());
    const first = secrets.hold('r', 'one');
    secrets.hold('r', 'two');
    first();
    expect(await secrets.get('r')).toBe('two');
    expect(await secrets.has('r')).toBe(false);
  });
});
