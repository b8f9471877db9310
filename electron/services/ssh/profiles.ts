import { randomUUID } from 'node:crypto';
import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { FieldkitError } from '../../../shared/contract/errors.js';
import { parseProxyJump, formatDestination } from '../../../shared/ssh/destination.js';
import { listAliases, parseSshConfig, resolveHost, type SshConfigProblem } from '../../../shared/ssh/ssh-config.js';
import type { SshProfile } from '../../../shared/ssh/types.js';
import { readPrivateJson, writePrivateFile } from './private-file.js';
import type { SecretStore } from './secrets.js';

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), socket: z.string().optional() }),
  z.object({ kind: z.literal('key'), identityFile: z.string().min(1), hasPassphrase: z.boolean().optional() }),
  z.object({ kind: z.literal('password') }),
  z.object({ kind: z.literal('keyboard-interactive') }),
]);

export const profileSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  auth: authSchema,
  jumpProfileIds: z.array(z.string()),
  site: z.string().optional(),
  device: z.string().optional(),
});

const fileSchema = z.object({ version: z.literal(1), profiles: z.array(profileSchema) });

export type ProfileInput = Omit<SshProfile, 'id'> & { id?: string };

/** The secret (password or key passphrase) of a profile lives in the SecretStore under this reference. */
export function secretRef(profileId: string): string {
  return `ssh-profile:${profileId}`;
}

/** Profiles in `<dataDir>/ssh/profiles.json`; never holds a secret. */
export class ProfileStore {
  constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
  ) {}

  async list(): Promise<SshProfile[]> {
    const parsed = fileSchema.safeParse(await readPrivateJson(this.file, { version: 1, profiles: [] }));
    if (!parsed.success) throw new FieldkitError('failed', `${this.file} is not a valid profiles file`, 'Restore it from a backup or remove it.');
    return parsed.data.profiles;
  }

  async get(id: string): Promise<SshProfile> {
    const p = (await this.list()).find((x) => x.id === id);
    if (!p) throw new FieldkitError('not_found', `no SSH profile "${id}"`);
    return p;
  }

  /** Saves a profile; `secret` (password or passphrase) goes to the SecretStore, `null` forgets the stored one. */
  async save(input: ProfileInput, secret?: string | null): Promise<SshProfile> {
    const profile = profileSchema.parse({ ...input, id: input.id ?? randomUUID() });
    const all = await this.list();
    for (const jump of profile.jumpProfileIds) {
      if (jump === profile.id) throw new FieldkitError('bad_request', 'a profile cannot jump through itself');
      if (!all.some((p) => p.id === jump)) throw new FieldkitError('bad_request', `jump profile "${jump}" does not exist`);
    }
    await this.write([...all.filter((p) => p.id !== profile.id), profile]);
    if (secret === null) await this.secrets.delete(secretRef(profile.id));
    else if (secret !== undefined) await this.secrets.set(secretRef(profile.id), secret);
    return profile;
  }

  async remove(id: string): Promise<void> {
    const all = await this.list();
    const users = all.filter((p) => p.jumpProfileIds.includes(id)).map((p) => p.name);
    if (users.length) throw new FieldkitError('conflict', `profile is a jump host for ${users.join(', ')}`);
    await this.write(all.filter((p) => p.id !== id));
    await this.secrets.delete(secretRef(id));
  }

  secret(id: string): Promise<string | undefined> {
    return this.secrets.get(secretRef(id));
  }

  /**
   * Imports the concrete Host aliases of an ssh_config text. ProxyJump hops that name another alias point at that
   * alias's profile; other hops become profiles of their own. Existing profiles with the same name are updated.
   */
  async importSshConfig(text: string, home = homedir()): Promise<{ imported: SshProfile[]; problems: SshConfigProblem[] }> {
    const config = parseSshConfig(text);
    const existing = await this.list();
    const byName = new Map(existing.map((p) => [p.name, p]));
    const aliases = new Set(listAliases(config));
    const imported = new Map<string, SshProfile>();
    const localUser = userInfo().username;

    const importAlias = async (alias: string, trail: string[]): Promise<SshProfile> => {
      if (imported.has(alias)) return imported.get(alias)!;
      if (trail.includes(alias)) throw new FieldkitError('bad_request', `ProxyJump loop: ${[...trail, alias].join(' -> ')}`);
      const host = resolveHost(config, alias);
      const jumps: SshProfile[] = [];
      for (const hop of host.proxyJump ? parseProxyJump(host.proxyJump) : []) {
        if (aliases.has(hop.host) && hop.user === undefined && hop.port === undefined) {
          jumps.push(await importAlias(hop.host, [...trail, alias]));
        } else {
          jumps.push(await upsert({ name: formatDestination(hop), host: hop.host, port: hop.port ?? 22, user: hop.user ?? localUser, auth: { kind: 'agent' }, jumpProfileIds: [] }));
        }
      }
      const identity = host.identityFiles[0];
      const profile = await upsert({
        name: alias,
        host: host.hostName ?? alias,
        port: host.port ?? 22,
        user: host.user ?? localUser,
        auth: identity ? { kind: 'key', identityFile: expandHome(identity, home) } : { kind: 'agent' },
        jumpProfileIds: jumps.map((j) => j.id),
      });
      imported.set(alias, profile);
      return profile;
    };
    const upsert = (p: Omit<SshProfile, 'id'>) => {
      const prior = byName.get(p.name);
      return this.save({ ...p, ...(prior ? { id: prior.id } : {}) }).then((saved) => {
        byName.set(saved.name, saved);
        return saved;
      });
    };
    for (const alias of aliases) await importAlias(alias, []);
    return { imported: [...imported.values()], problems: config.problems };
  }

  private write(profiles: SshProfile[]): Promise<void> {
    return writePrivateFile(this.file, `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`);
  }
}

export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return resolve(home, path.slice(2));
  return path.replace(/%d/g, home);
}
