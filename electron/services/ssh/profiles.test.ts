import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore, secretRef } from './profiles.js';
import { MemorySecretStore } from './secrets.js';

let dir: string;
let secrets: MemorySecretStore;
let store: ProfileStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-profiles-'));
  secrets = new MemorySecretStore();
  store = new ProfileStore(join(dir, 'ssh', 'profiles.json'), secrets);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const base = { host: '10.0.0.1', port: 22, user: 'pi', jumpProfileIds: [] as string[] };

describe('ProfileStore', () => {
  it('saves profiles without secrets and keeps the secret in the SecretStore', async () => {
    const p = await store.save({ ...base, name: 'gw', auth: { kind: 'password' } }, 'pw-123');
    expect(await store.list()).toEqual([p]);
    expect(await readFile(join(dir, 'ssh', 'profiles.json'), 'utf8')).not.toContain('pw-123');
    expect(await secrets.get(secretRef(p.id))).toBe('pw-123');
    await store.save({ ...p }, null);
    expect(await store.secret(p.id)).toBeUndefined();
  });

  it('validates jump chains and protects jump hosts in use', async () => {
    const jump = await store.save({ ...base, name: 'bastion', auth: { kind: 'agent' } });
    await expect(store.save({ ...base, name: 'x', auth: { kind: 'agent' }, jumpProfileIds: ['nope'] })).rejects.toThrow(/does not exist/);
    const gw = await store.save({ ...base, name: 'gw', auth: { kind: 'agent' }, jumpProfileIds: [jump.id] });
    await expect(store.remove(jump.id)).rejects.toThrow(/jump host for gw/);
    await store.remove(gw.id);
    await store.remove(jump.id);
    expect(await store.list()).toEqual([]);
    await expect(store.get(jump.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('imports ssh_config aliases, creating profiles for literal jump hops, and updates on re-import', async () => {
    const text = 'Host gw\n  HostName 10.1.1.1\n  User root\n  ProxyJump ops@bastion.example:2200\n  IdentityFile ~/.ssh/k\n';
    const first = await store.importSshConfig(text, '/home/tech');
    const gw = first.imported[0];
    expect(gw).toMatchObject({ name: 'gw', host: '10.1.1.1', user: 'root', auth: { kind: 'key', identityFile: '/home/tech/.ssh/k' } });
    const hop = await store.get(gw.jumpProfileIds[0]);
    expect(hop).toMatchObject({ name: 'ops@bastion.example:2200', host: 'bastion.example', port: 2200, user: 'ops' });
    const second = await store.importSshConfig(text.replace('10.1.1.1', '10.1.1.2'), '/home/tech');
    expect(second.imported[0]).toMatchObject({ id: gw.id, host: '10.1.1.2' });
    expect(await store.list()).toHaveLength(2);
  });

  it('refuses a ProxyJump loop and a damaged profiles file with clear errors', async () => {
    await expect(store.importSshConfig('Host a\n ProxyJump b\nHost b\n ProxyJump a\n')).rejects.toThrow(/loop/);
    await mkdir(join(dir, 'ssh'));
    for (const damaged of ['{"version":1,"profiles":[{"id":1}]}', '{"version":1,"prof']) {
      await writeFile(join(dir, 'ssh', 'profiles.json'), damaged);
      await expect(store.list()).rejects.toThrow(/not a valid profiles file/);
    }
  });
});
