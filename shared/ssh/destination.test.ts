import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDestination, parseDestination, parseProxyJump, parseRemotePath } from './destination.js';

describe('destinations', () => {
  it('parses user@host:port forms, IPv6 and ssh:// URIs', () => {
    expect(parseDestination('gw')).toEqual({ host: 'gw' });
    expect(parseDestination('root@10.0.0.1:2222')).toEqual({ user: 'root', host: '10.0.0.1', port: 2222 });
    expect(parseDestination('pi@[fe80::1]:22')).toEqual({ user: 'pi', host: 'fe80::1', port: 22 });
    expect(parseDestination('ssh://a@b:7/')).toEqual({ user: 'a', host: 'b', port: 7 });
    expect(parseDestination('user@domain@host')).toEqual({ user: 'user@domain', host: 'host' });
  });

  it('rejects malformed destinations with the input in the message', () => {
    for (const bad of ['', '@host', 'host:', 'host:99999', 'a b', 'host:0', 'fe80::1']) {
      expect(() => parseDestination(bad)).toThrow(bad === '' ? /destination/ : bad);
    }
  });

  it('parses ProxyJump chains', () => {
    expect(parseProxyJump('none')).toEqual([]);
    expect(parseProxyJump(' a@j1:2201, j2 ')).toEqual([{ user: 'a', host: 'j1', port: 2201 }, { host: 'j2' }]);
  });

  it('parses scp-style remote paths', () => {
    expect(parseRemotePath('root@gw:/var/log/a@b.txt')).toEqual({ destination: { user: 'root', host: 'gw' }, path: '/var/log/a@b.txt' });
    expect(parseRemotePath('u@[::1]:rel/x')).toEqual({ destination: { user: 'u', host: '::1' }, path: 'rel/x' });
    expect(parseRemotePath('gw:x')).toEqual({ destination: { host: 'gw' }, path: 'x' });
    expect(() => parseRemotePath('gw')).toThrow(/user@host:path/);
    expect(() => parseRemotePath('gw:')).toThrow(/user@host:path/);
  });

  it('round-trips format -> parse', () => {
    const host = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/), fc.constantFrom('::1', 'fe80::2'));
    const user = fc.option(fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,10}$/), { nil: undefined });
    const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
    fc.assert(
      fc.property(host, user, port, (h, u, p) => {
        const d = { host: h, ...(u !== undefined ? { user: u } : {}), ...(p !== undefined ? { port: p } : {}) };
        expect(parseDestination(formatDestination(d))).toEqual(d);
      }),
    );
  });
});
