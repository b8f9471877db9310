import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listAliases, parseSshConfig, resolveHost } from './ssh-config.js';

const CONFIG = `
# site gateways
Host gw-17 gw-18
  HostName 10.0.%h.1
  User pi
  Port 2222
  IdentityFile ~/.ssh/gw_ed25519
  ProxyJump bastion

Host bastion
    HostName=bastion.example.com
    User "tech ops"

Host gw-* !gw-99
  User ignored-because-first-wins
  IdentityFile ~/.ssh/fallback

Match host something
  User from-match

Include ~/.ssh/config.d/*

Host *
  IdentitiesOnly yes
  Port 22
`;

describe('ssh_config', () => {
  const config = parseSshConfig(CONFIG);

  it('resolves an alias with first-value-wins, accumulated IdentityFile and %h', () => {
    expect(resolveHost(config, 'gw-17')).toEqual({
      alias: 'gw-17',
      hostName: '10.0.gw-17.1',
      user: 'pi',
      port: 2222,
      identityFiles: ['~/.ssh/gw_ed25519', '~/.ssh/fallback'],
      proxyJump: 'bastion',
      identitiesOnly: true,
    });
    expect(resolveHost(config, 'bastion')).toMatchObject({ hostName: 'bastion.example.com', user: 'tech ops', port: 22 });
    expect(resolveHost(config, 'gw-99').user).toBeUndefined();
  });

  it('lists concrete aliases only and reports what it does not follow', () => {
    expect(listAliases(config)).toEqual(['gw-17', 'gw-18', 'bastion']);
    expect(config.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/Match/),
      expect.stringMatching(/Include/),
    ]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 10 }), (text, alias) => {
        const parsed = parseSshConfig(text);
        resolveHost(parsed, alias);
        listAliases(parsed);
      }),
    );
  });
});
