import type { PreflightCheck } from '../../contract/cluster.js';
import { shellQuote } from '../../ssh/shell-quote.js';

/** What one run of `factsScript` found on the gateway; missing values mean the probe could not tell. */
export interface GatewayFacts {
  /** `uname -m`. */
  machine: string;
  hostname: string;
  /** Gateway clock, seconds since the epoch, read first thing. */
  now: number | undefined;
  uid: number | undefined;
  /** Passwordless `sudo -n true` worked. */
  sudo: boolean;
  /** The memory cgroup controller is enabled (cgroup v2 controllers or the v1 `enabled` column). */
  cgroupMemory: boolean | undefined;
  cmdline: string;
  /** Device-tree model, e.g. `Raspberry Pi 4 Model B Rev 1.4`. */
  model: string;
  defaultRoute: string;
  ips: string[];
  /** Free KiB under /var/lib/rancher (or the nearest existing parent). */
  diskFreeKb: number | undefined;
  k3sVersion: string;
  agentActive: boolean;
  serverActive: boolean;
  /** HTTP status of `<server>/cacerts` fetched from the gateway; 0 when nothing answered; undefined without curl. */
  serverHttp: number | undefined;
  /** TCP connect to server:port from the gateway (bash /dev/tcp), when curl is missing. */
  serverTcp: boolean | undefined;
}

export interface ServerAddress {
  url: string;
  host: string;
  port: number;
}

/** `https://host:6443` (port defaults to 443 like any https URL; K3s servers use 6443). */
export function serverAddress(server: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`not a server URL: "${server}" (expected https://<server>:6443)`);
  }
  if (url.protocol !== 'https:') throw new Error(`the server URL must start with https:// (got "${server}")`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { url: `https://${url.host}`, host, port: url.port ? Number(url.port) : 443 };
}

const FACT_LINES = [
  'now=$(date +%s)',
  'say() { printf "%s=%s\\n" "$1" "$(printf "%s" "$2" | tr "\\n" " ")"; }',
  'say now "$now"',
  'say machine "$(uname -m)"',
  'say hostname "$(hostname)"',
  'say uid "$(id -u)"',
  'if [ "$(id -u)" != 0 ] && sudo -n true 2>/dev/null; then say sudo yes; else say sudo no; fi',
  'if [ -r /sys/fs/cgroup/cgroup.controllers ]; then if grep -qw memory /sys/fs/cgroup/cgroup.controllers; then say cgroup_memory 1; else say cgroup_memory 0; fi',
  'else say cgroup_memory "$(awk \'$1=="memory"{print $4}\' /proc/cgroups 2>/dev/null)"; fi',
  'say cmdline "$(cat /proc/cmdline 2>/dev/null)"',
  'say model "$(tr -d "\\0" < /proc/device-tree/model 2>/dev/null)"',
  'say default_route "$({ ip -4 route show default; ip -6 route show default; } 2>/dev/null | head -n 1)"',
  'say ips "$(hostname -I 2>/dev/null)"',
  'for d in /var/lib/rancher /var/lib /; do [ -d "$d" ] && { say disk_free_kb "$(df -Pk "$d" | awk \'NR==2{print $4}\')"; break; }; done',
  'say k3s_version "$([ -x /usr/local/bin/k3s ] && /usr/local/bin/k3s --version 2>/dev/null | head -n 1)"',
  'say agent_active "$(systemctl is-active k3s-agent 2>/dev/null)"',
  'say server_active "$(systemctl is-active k3s 2>/dev/null)"',
];

/** One read-only script: every fact the preflight needs, as `name=value` lines. */
export function factsScript(server: ServerAddress): string {
  const cacerts = shellQuote(`${server.url}/cacerts`);
  const reach = [
    `if command -v curl >/dev/null 2>&1; then say server_http "$(curl -sk -o /dev/null -w '%{http_code}' --connect-timeout 5 --max-time 10 ${cacerts})"`,
    `elif command -v bash >/dev/null 2>&1; then if timeout 5 bash -c ${shellQuote(`exec 3<>/dev/tcp/${server.host}/${server.port}`)} 2>/dev/null; then say server_tcp 1; else say server_tcp 0; fi; fi`,
  ];
  return [...FACT_LINES, ...reach].join('\n');
}

const toInt = (v: string | undefined): number | undefined => (v !== undefined && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

export function parseFacts(stdout: string): GatewayFacts {
  const raw = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) raw.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const text = (name: string) => raw.get(name) ?? '';
  const cgroup = toInt(raw.get('cgroup_memory'));
  const tcp = toInt(raw.get('server_tcp'));
  return {
    machine: text('machine'),
    hostname: text('hostname'),
    now: toInt(raw.get('now')),
    uid: toInt(raw.get('uid')),
    sudo: text('sudo') === 'yes',
    cgroupMemory: cgroup === undefined ? undefined : cgroup === 1,
    cmdline: text('cmdline'),
    model: text('model'),
    defaultRoute: text('default_route'),
    ips: text('ips').split(/\s+/).filter(Boolean),
    diskFreeKb: toInt(raw.get('disk_free_kb')),
    k3sVersion: text('k3s_version'),
    agentActive: text('agent_active') === 'active',
    serverActive: text('server_active') === 'active',
    serverHttp: toInt(raw.get('server_http')),
    serverTcp: tcp === undefined ? undefined : tcp === 1,
  };
}

const ARCHES: Record<string, 'amd64' | 'arm64' | 'arm'> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  armv7: 'arm',
  armv6l: 'arm',
  armhf: 'arm',
};

/** K3s's name for the gateway's CPU architecture; undefined when K3s has no build for it. */
export function k3sArch(machine: string): 'amd64' | 'arm64' | 'arm' | undefined {
  return ARCHES[machine.trim().toLowerCase()];
}

/** K3s names the node after the lower-cased hostname unless `--node-name` says otherwise. */
export function nodeNameFor(hostname: string, nodeName: string | undefined): string {
  return nodeName ?? hostname.trim().toLowerCase();
}

/** A node the cluster already has, as far as the hostname check cares. */
export interface ExistingNode {
  name: string;
  addresses: string[];
}

export interface PreflightContext {
  server: ServerAddress;
  /** The name the node will get (`nodeNameFor`). */
  nodeName: string;
  withNodeId: boolean;
  /** The cluster's nodes, or why they could not be read. */
  nodes: ExistingNode[] | { error: string };
  /** Gateway clock minus server clock, seconds (undefined when the server's time could not be read). */
  clockSkewSeconds: number | undefined;
  /** Set when the server's time could not be read. */
  clockError?: string;
}

export const CLOCK_WARN_SECONDS = 10;
export const CLOCK_FAIL_SECONDS = 60;
export const DISK_FAIL_KB = 1024 * 1024;
export const DISK_WARN_KB = 3 * 1024 * 1024;

type Check = Omit<PreflightCheck, 'id' | 'label'>;
const ok = (detail: string): Check => ({ status: 'ok', detail });
const warn = (detail: string, fix: string): Check => ({ status: 'warn', detail, fix });
const fail = (detail: string, fix: string): Check => ({ status: 'fail', detail, fix });

const isRaspberryPi = (f: GatewayFacts) => /raspberry pi/i.test(f.model) || /bcm2708|bcm2709|bcm2710|bcm2711|bcm2712/i.test(f.cmdline);

function archCheck(f: GatewayFacts): Check {
  const arch = k3sArch(f.machine);
  if (!f.machine) return fail('the architecture could not be read (uname -m)', 'Check that the SSH user can run uname, then run the preflight again.');
  return arch ? ok(`${f.machine} (${arch})`) : fail(`${f.machine}: K3s has no build for it`, 'K3s runs on amd64, arm64 and armhf (ARMv7) gateways only.');
}

function cgroupCheck(f: GatewayFacts): Check {
  if (f.cgroupMemory === true) return ok('memory cgroup enabled');
  const disabled = /\bcgroup_disable=memory\b/.test(f.cmdline) ? ' (the kernel command line has cgroup_disable=memory)' : '';
  const found = f.cgroupMemory === undefined ? 'the memory cgroup could not be found' : `the memory cgroup is disabled${disabled}`;
  const fix = isRaspberryPi(f)
    ? 'Add `cgroup_memory=1 cgroup_enable=memory` to the end of the single line in /boot/firmware/cmdline.txt (/boot/cmdline.txt on older images), then reboot the gateway.'
    : 'Enable the memory cgroup on the kernel command line (add `cgroup_enable=memory`, e.g. to GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot the gateway.';
  return fail(found, fix);
}

function hostnameCheck(f: GatewayFacts, c: PreflightContext): Check {
  if (!c.nodeName) return fail('the gateway has no hostname', 'Set a hostname on the gateway (hostnamectl set-hostname <name>) or give a node name.');
  if (c.withNodeId) return ok(`${c.nodeName}-<id> (a unique id is added)`);
  if ('error' in c.nodes) return warn(`${c.nodeName}: the cluster's nodes could not be read (${c.nodes.error})`, 'Check the cluster connection; a duplicate name makes the join fail.');
  const same = c.nodes.find((n) => n.name === c.nodeName);
  if (!same) return ok(`${c.nodeName} is free in the cluster`);
  if (same.addresses.some((a) => f.ips.includes(a))) {
    return warn(
      `a node named ${c.nodeName} with this gateway's address is already in the cluster`,
      'If the gateway was re-flashed the server will reject it ("Node password rejected"): remove the old node and its password secret first (FieldKit offers this), or rejoin under another name with --node-name.',
    );
  }
  return fail(
    `another node named ${c.nodeName} (${same.addresses.join(', ') || 'no address'}) is already in the cluster`,
    'Give this gateway a unique name: --node-name <name>, or --with-node-id to add a unique suffix, or change its hostname.',
  );
}

function clockCheck(c: PreflightContext): Check {
  const skew = c.clockSkewSeconds;
  if (skew === undefined) return warn(`the clocks could not be compared${c.clockError ? ` (${c.clockError})` : ''}`, 'Make sure the gateway keeps time (NTP: timedatectl set-ntp true), or set it with date -s.');
  const abs = Math.abs(Math.round(skew));
  const detail = abs === 0 ? 'in sync with the server' : `clock ${abs} s ${skew > 0 ? 'ahead of' : 'behind'} the server`;
  const fix = 'Sync the gateway clock: enable NTP (timedatectl set-ntp true) or, offline, set it from the laptop: date -s "@<epoch seconds>". Certificates are refused when clocks differ.';
  if (abs > CLOCK_FAIL_SECONDS) return fail(detail, fix);
  return abs > CLOCK_WARN_SECONDS ? warn(detail, fix) : ok(detail);
}

const DUMMY_ROUTE =
  'Give the gateway a default route. Without a real gateway, the K3s air-gap docs\' fallback works: `ip link add dummy0 type dummy && ip link set dummy0 up && ip addr add 203.0.113.254/31 dev dummy0 && ip route add default via 203.0.113.255 dev dummy0 metric 1000`.';

function routeCheck(f: GatewayFacts): Check {
  return f.defaultRoute ? ok(f.defaultRoute) : fail('no default route', DUMMY_ROUTE);
}

function diskCheck(f: GatewayFacts): Check {
  const kb = f.diskFreeKb;
  if (kb === undefined) return warn('free space could not be read', 'Make sure /var/lib has a few GB free.');
  const detail = `${(kb / 1024 / 1024).toFixed(1)} GiB free under /var/lib`;
  const fix = 'Free space under /var/lib (old logs, images) or grow the filesystem: K3s and its images need at least 1 GiB, 3 GiB to run workloads.';
  if (kb < DISK_FAIL_KB) return fail(detail, fix);
  return kb < DISK_WARN_KB ? warn(detail, fix) : ok(detail);
}

function reachCheck(f: GatewayFacts, c: PreflightContext): Check {
  const where = `${c.server.host}:${c.server.port}`;
  const fix = `Check from the gateway that ${where} is reachable: the server URL, the network and the firewall (the server must accept ${c.server.port}/tcp), and that K3s runs on the server.`;
  if (f.serverHttp !== undefined) return f.serverHttp > 0 ? ok(`${where} answers (HTTP ${f.serverHttp})`) : fail(`${where} cannot be reached from the gateway`, fix);
  if (f.serverTcp !== undefined) return f.serverTcp ? ok(`${where} accepts connections`) : fail(`${where} cannot be reached from the gateway`, fix);
  return warn('neither curl nor bash on the gateway to test the connection', fix);
}

function existingCheck(f: GatewayFacts): Check {
  if (f.serverActive) return fail('this machine runs a K3s server', 'Joining a server as an agent breaks it: pick the right gateway, or uninstall the server first (k3s-uninstall.sh).');
  if (!f.k3sVersion && !f.agentActive) return ok('no K3s installed');
  const what = [f.k3sVersion || 'k3s-agent', f.agentActive ? 'agent running' : 'agent not running'].join(', ');
  return warn(`K3s already installed (${what})`, 'The join reinstalls over it and restarts the agent. To start clean, run /usr/local/bin/k3s-agent-uninstall.sh first.');
}

function sudoCheck(f: GatewayFacts): Check {
  if (f.uid === 0) return ok('root');
  if (f.sudo) return ok('passwordless sudo');
  return fail('the SSH user is not root and has no passwordless sudo', 'Connect as root, or allow this user passwordless sudo (the join writes /usr/local/bin, /etc/rancher and /var/lib/rancher).');
}

const LABELS: Record<PreflightCheck['id'], string> = {
  arch: 'CPU architecture',
  'cgroup-memory': 'Memory cgroup',
  hostname: 'Node name unique in the cluster',
  clock: 'Clock in sync with the server',
  'default-route': 'Default route',
  disk: 'Free disk',
  'server-reachable': 'Server reachable from the gateway',
  'existing-k3s': 'Existing K3s install',
  sudo: 'Root or sudo',
};

export function evaluatePreflight(f: GatewayFacts, c: PreflightContext): PreflightCheck[] {
  const checks: [PreflightCheck['id'], Check][] = [
    ['sudo', sudoCheck(f)],
    ['arch', archCheck(f)],
    ['cgroup-memory', cgroupCheck(f)],
    ['hostname', hostnameCheck(f, c)],
    ['clock', clockCheck(c)],
    ['default-route', routeCheck(f)],
    ['disk', diskCheck(f)],
    ['server-reachable', reachCheck(f, c)],
    ['existing-k3s', existingCheck(f)],
  ];
  return checks.map(([id, check]) => ({ id, label: LABELS[id], ...check }));
}

/** The join goes on unless a check failed. */
export const preflightPassed = (checks: readonly PreflightCheck[]) => checks.every((c) => c.status !== 'fail');
