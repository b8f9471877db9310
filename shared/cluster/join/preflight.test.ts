import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePreflight, factsScript, k3sArch, parseFacts, preflightPassed, serverAddress, type GatewayFacts, type PreflightContext } from './preflight.js';

const healthy = [
  'now=1764342000',
  'machine=aarch64',
  'hostname=GW-7',
  'uid=0',
  'sudo=no',
  'cgroup_memory=1',
  'cmdline=console=serial0,115200 root=PARTUUID=1 rootwait',
  'model=Raspberry Pi 4 Model B Rev 1.4',
  'default_route=default via 192.168.1.1 dev eth0',
  'ips=192.168.1.57 fe80::1',
  'disk_free_kb=9000000',
  'k3s_version=',
  'agent_active=inactive',
  'server_active=inactive',
  'server_http=200',
].join('\n');

const server = serverAddress('https://10.0.0.1:6443');
const context = (over: Partial<PreflightContext> = {}): PreflightContext => ({ server, nodeName: 'gw-7', withNodeId: false, nodes: [], clockSkewSeconds: 0, ...over });
const facts = (over: Partial<GatewayFacts> = {}): GatewayFacts => ({ ...parseFacts(healthy), ...over });
const check = (f: GatewayFacts, c: PreflightContext, id: string) => evaluatePreflight(f, c).find((x) => x.id === id)!;

describe('preflight', () => {
  it('passes a healthy Raspberry Pi', () => {
    const checks = evaluatePreflight(facts(), context());
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['sudo', 'ok'],
      ['arch', 'ok'],
      ['cgroup-memory', 'ok'],
      ['hostname', 'ok'],
      ['clock', 'ok'],
      ['default-route', 'ok'],
      ['disk', 'ok'],
      ['server-reachable', 'ok'],
      ['existing-k3s', 'ok'],
    ]);
    expect(checks.find((c) => c.id === 'arch')!.detail).toBe('aarch64 (arm64)');
    expect(preflightPassed(checks)).toBe(true);
  });

  it('tells a Raspberry Pi how to enable the memory cgroup', () => {
    const c = check(facts({ cgroupMemory: false }), context(), 'cgroup-memory');
    expect(c).toMatchObject({ status: 'fail', detail: 'the memory cgroup is disabled' });
    expect(c.fix).toContain('cgroup_memory=1 cgroup_enable=memory');
    expect(c.fix).toContain('/boot/firmware/cmdline.txt');
    expect(check(facts({ cgroupMemory: false, model: '', cmdline: 'quiet' }), context(), 'cgroup-memory').fix).toContain('GRUB_CMDLINE_LINUX');
  });

  it('refuses a name another machine uses, warns when it is this gateway again', () => {
    const other = check(facts(), context({ nodes: [{ name: 'gw-7', addresses: ['192.168.1.99'] }] }), 'hostname');
    expect(other).toMatchObject({ status: 'fail', detail: 'another node named gw-7 (192.168.1.99) is already in the cluster' });
    expect(other.fix).toContain('--node-name');
    expect(other.fix).toContain('--with-node-id');
    expect(check(facts(), context({ nodes: [{ name: 'gw-7', addresses: ['192.168.1.57'] }] }), 'hostname')).toMatchObject({ status: 'warn' });
    expect(check(facts(), context({ nodes: [{ name: 'gw-7', addresses: [] }], withNodeId: true }), 'hostname')).toMatchObject({ status: 'ok' });
    expect(check(facts(), context({ nodes: { error: 'offline' } }), 'hostname')).toMatchObject({ status: 'warn' });
  });

  it('grades clock skew', () => {
    expect(check(facts(), context({ clockSkewSeconds: 212 }), 'clock')).toMatchObject({ status: 'fail', detail: 'clock 212 s ahead of the server' });
    expect(check(facts(), context({ clockSkewSeconds: -30 }), 'clock')).toMatchObject({ status: 'warn', detail: 'clock 30 s behind the server' });
    expect(check(facts(), context({ clockSkewSeconds: 3 }), 'clock').status).toBe('ok');
    expect(check(facts(), context({ clockSkewSeconds: undefined, clockError: 'timeout' }), 'clock').status).toBe('warn');
  });

  it('offers the dummy-interface route, and names other failures', () => {
    const route = check(facts({ defaultRoute: '' }), context(), 'default-route');
    expect(route).toMatchObject({ status: 'fail', detail: 'no default route' });
    expect(route.fix).toContain('ip link add dummy0 type dummy');
    expect(check(facts({ diskFreeKb: 500_000 }), context(), 'disk').status).toBe('fail');
    expect(check(facts({ serverHttp: 0 }), context(), 'server-reachable')).toMatchObject({ status: 'fail', detail: '10.0.0.1:6443 cannot be reached from the gateway' });
    expect(check(facts({ serverHttp: undefined, serverTcp: true }), context(), 'server-reachable').status).toBe('ok');
    expect(check(facts({ k3sVersion: 'k3s version v1.30.0+k3s1', agentActive: true }), context(), 'existing-k3s').status).toBe('warn');
    expect(check(facts({ serverActive: true }), context(), 'existing-k3s').status).toBe('fail');
    expect(check(facts({ uid: 1000, sudo: false }), context(), 'sudo').status).toBe('fail');
    expect(check(facts({ uid: 1000, sudo: true }), context(), 'sudo').status).toBe('ok');
    expect(check(facts({ machine: 'mips' }), context(), 'arch').status).toBe('fail');
    expect(preflightPassed(evaluatePreflight(facts({ machine: 'mips' }), context()))).toBe(false);
  });

  it('maps machine names to K3s arches', () => {
    expect([k3sArch('x86_64'), k3sArch('aarch64'), k3sArch('armv7l'), k3sArch('riscv64')]).toEqual(['amd64', 'arm64', 'arm', undefined]);
  });

  it('quotes the server into the facts script and rejects non-https URLs', () => {
    expect(factsScript(serverAddress('https://[fd00::1]:6443'))).toContain("'https://[fd00::1]:6443/cacerts'");
    expect(() => serverAddress('http://10.0.0.1:6443')).toThrow(/https/);
    expect(() => serverAddress('nope')).toThrow(/not a server URL/);
  });

  it('parses any output without throwing, and every check has a fix unless ok', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), (out, skew) => {
        const checks = evaluatePreflight(parseFacts(out), context({ clockSkewSeconds: skew }));
        expect(checks).toHaveLength(9);
        for (const c of checks) if (c.status !== 'ok') expect(c.fix).toBeTruthy();
      }),
    );
  });
});
