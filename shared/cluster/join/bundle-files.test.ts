import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundleLayouts, findVersion, isVersion, parseChecksums } from './bundle-files.js';

const h = (c: string) => c.repeat(64);

describe('K3s release folders', () => {
  it('parses sha256sum files in text and binary mode', () => {
    const sums = parseChecksums(`${h('a')}  k3s\n${h('B')} *k3s-airgap-images-amd64.tar.zst\r\n\n${h('c')}  ./install.sh\n`);
    expect([...sums]).toEqual([
      ['k3s', h('a')],
      ['k3s-airgap-images-amd64.tar.zst', h('b')],
      ['install.sh', h('c')],
    ]);
    expect(() => parseChecksums('not a checksum\n')).toThrow(/line 1 of the checksum file/);
  });

  it('round-trips any names', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9._+-][A-Za-z0-9._+ -]{0,40}$/).filter((n) => !n.startsWith('./') && n.trim() === n);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, fc.stringMatching(/^[0-9a-f]{64}$/)), { selector: ([n]) => n, maxLength: 20 }), (entries) => {
        const text = entries.map(([n, s]) => `${s}  ${n}`).join('\n');
        expect([...parseChecksums(text)]).toEqual(entries);
      }),
    );
  });

  it('finds complete bundles per architecture and names what is missing', () => {
    const { layouts, problems } = bundleLayouts(['sha256sum-amd64.txt', 'k3s', 'k3s-airgap-images-amd64.tar.gz', 'install.sh', 'sha256sum-arm64.txt', 'k3s-arm64']);
    expect(layouts).toEqual([{ arch: 'amd64', checksumFile: 'sha256sum-amd64.txt', binary: 'k3s', images: 'k3s-airgap-images-amd64.tar.gz', installScript: 'install.sh' }]);
    expect(problems).toEqual(['arm64: missing k3s-airgap-images-arm64.tar.zst (or .tar.gz)']);
  });

  it('reads release versions', () => {
    expect(findVersion('/releases/v1.31.4+k3s1/')).toBe('v1.31.4+k3s1');
    expect(isVersion('v1.31.4+k3s1')).toBe(true);
    expect(isVersion('latest')).toBe(false);
  });
});
