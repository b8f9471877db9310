/**
 * A stand-in K3s gateway for join tests (and the Cluster e2e test).
 *
 * ```ts
 * const api = await startKubeApiServer();
 * const gw = await startK3sGateway({ api, hostname: 'gw-7' });
 * // SSH: gw.host, gw.port, gw.user ('root'), gw.privateKeyPath (authorized), gw.hostKeys (public lines for known_hosts)
 * // After a join: gw.path('/etc/rancher/k3s/config.yaml') is where that gateway file is on this machine,
 * // await gw.calls() lists what the stand-ins did, in order ('systemctl start k3s-agent', 'k3s agent', …).
 * await gw.stop();
 * ```
 *
 * A real OpenSSH server (`startSshd`) whose every session (exec, shell and SFTP) runs inside a private mount + UTS
 * namespace (`unshare -m -u --propagation private`, entered with `nsenter` from a ForceCommand). In that namespace,
 * temp folders under `gw.root` are bind-mounted over /usr/local/bin, /usr/local/sbin, /etc/rancher, /var/lib/rancher
 * and /etc/systemd/system, so the join writes the real paths and tests read them from outside. /usr/local/sbin holds
 * the stand-ins from test/fixtures/k3s/standins (`systemctl`, `journalctl`, and `date`/`ip`, which pass through to the
 * real tools unless a fact says otherwise). The bundle's `k3s` (test/fixtures/k3s/release/…/k3s) is the stand-in agent:
 * started by the stand-in systemctl it reads config.yaml, checks the token's CA hash against /cacerts, checks the
 * node-password secret and registers the node with the API test server. Everything is appended to `gw.state/calls.log`.
 *
 * Facts the preflight reads are real (uname, hostname in the UTS namespace, /proc/cgroups bind-mounted from a file,
 * df, curl) and configurable: `hostname`, `cgroupMemory`, `clockOffsetSeconds`, `defaultRoute` (see StandinFacts).
 * `role: 'server'` makes a gateway that looks like the K3s server for token reads: /var/lib/rancher/k3s/server/token
 * holds `api.joinToken`, /var/lib/rancher/k3s/server/cred/admin.kubeconfig is the API test server's admin kubeconfig,
 * and `k3s token create` makes a real bootstrap token with it (a `kube-system/bootstrap-token-<id>` Secret the API
 * test server accepts until its expiration).
 *
 * Needs root. Mount points missing on this machine (/etc/rancher, /var/lib/rancher) are created and removed again
 * when the last gateway stops (tracked in /run/fk-k3s-gateway).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, copyFile, mkdir, mkdtemp, readdir, readFile, readlink, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSshd, type Sshd } from './sshd.js';

const run = promisify(execFile);

const FIXTURES = new URL('../fixtures/k3s/', import.meta.url).pathname;
export const K3S_RELEASE_DIR = join(FIXTURES, 'release', 'v1.31.4+k3s1');
const STANDINS = join(FIXTURES, 'standins');

/** Gateway paths replaced by temp folders inside the namespace. */
export const GATEWAY_DIRS = ['/usr/local/bin', '/usr/local/sbin', '/etc/rancher', '/var/lib/rancher', '/etc/systemd/system'] as const;

const REGISTRY = '/run/fk-k3s-gateway';
const ADMIN_KUBECONFIG = 'var/lib/rancher/k3s/server/cred/admin.kubeconfig';

export interface StandinFacts {
  /** Default `fk-gw-<random>`. */
  hostname?: string;
  /** Default true. */
  cgroupMemory?: boolean;
  /** Seconds the gateway clock is ahead of the real time (negative: behind). Default 0. */
  clockOffsetSeconds?: number;
  /** Default true: the machine's real default route shows. */
  defaultRoute?: boolean;
}

export interface K3sGatewayOptions extends StandinFacts {
  /** The API test server (KubeApiServer); the server role uses `joinToken` and `kubeconfigPath` (its admin kubeconfig). */
  api: { url: string; joinToken: string; kubeconfigPath: string };
  role?: 'agent' | 'server';
}

export interface K3sGateway {
  host: '127.0.0.1';
  port: number;
  user: 'root';
  /** Authorized unencrypted ed25519 key. */
  privateKeyPath: string;
  /** The sshd's public host keys (`<type> <base64>`), for a known_hosts line. */
  hostKeys: string[];
  hostname: string;
  /** Temp folder mirroring GATEWAY_DIRS: `<root>/etc/rancher/…`. */
  root: string;
  /** calls.log, journal/<unit>.log, facts/. */
  state: string;
  callsLog: string;
  sshd: Sshd;
  /** Where a gateway path under GATEWAY_DIRS is on this machine. */
  path(gatewayPath: string): string;
  calls(): Promise<string[]>;
  setFacts(facts: StandinFacts): Promise<void>;
  /** Runs a command inside the gateway's namespace (as its SSH sessions see it). */
  exec(command: string): Promise<string>;
  /** A re-flash: the agent stops and every gateway folder and the journal are wiped (the calls log stays). */
  reflash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startK3sGateway(opts: K3sGatewayOptions): Promise<K3sGateway> {
  const sshdForLater: { sshd?: Sshd } = {};
  const hostname = opts.hostname ?? `fk-gw-${Math.random().toString(36).slice(2, 8)}`;
  const holder = await startNamespace(hostname);
  const { root, state } = holder;
  try {
    for (const name of ['systemctl', 'journalctl', 'date', 'ip']) {
      await copyFile(join(STANDINS, name), join(root, 'usr/local/sbin', name));
      await chmod(join(root, 'usr/local/sbin', name), 0o755);
    }
    if (opts.role === 'server') {
      await mkdir(join(root, 'var/lib/rancher/k3s/server'), { recursive: true });
      await writeFile(join(root, 'var/lib/rancher/k3s/server/token'), `${opts.api.joinToken}\n`, { mode: 0o600 });
      await mkdir(join(root, 'var/lib/rancher/k3s/server/cred'), { recursive: true });
      await copyFile(opts.api.kubeconfigPath, join(root, ADMIN_KUBECONFIG));
      await chmod(join(root, ADMIN_KUBECONFIG), 0o600);
      await copyFile(join(K3S_RELEASE_DIR, 'k3s'), join(root, 'usr/local/bin/k3s'));
      await chmod(join(root, 'usr/local/bin/k3s'), 0o755);
    }
    const enter = join(holder.dir, 'enter.sh');
    await writeFile(
      enter,
      [
        '#!/bin/sh',
        `export FK_GATEWAY_STATE=${state}`,
        `ns="nsenter -t ${holder.pid} -m -u --"`,
        'case "$SSH_ORIGINAL_COMMAND" in',
        '  "") exec $ns /bin/sh -l ;;',
        '  internal-sftp) exec $ns /usr/lib/openssh/sftp-server ;;',
        '  *) exec $ns /bin/sh -c "$SSH_ORIGINAL_COMMAND" ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const sshd = await startSshd({ extraConfig: [`ForceCommand ${enter}`] });
    sshdForLater.sshd = sshd;
    const gateway: K3sGateway = {
      host: '127.0.0.1',
      port: sshd.port,
      user: 'root',
      privateKeyPath: sshd.clientKey.privatePath,
      hostKeys: sshd.hostKeys.map((k) => k.publicLine.split(' ').slice(0, 2).join(' ')),
      hostname,
      root,
      state,
      callsLog: join(state, 'calls.log'),
      sshd,
      path: (p) => join(root, p),
      calls: async () => (await readFile(join(state, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean),
      setFacts: (facts) => holder.setFacts(facts),
      exec: (command) => holder.exec(command),
      async reflash() {
        await holder.exec('systemctl stop k3s-agent >/dev/null 2>&1; true');
        for (const dir of GATEWAY_DIRS.filter((d) => d !== '/usr/local/sbin')) await emptyDir(join(root, dir));
        await rm(join(state, 'journal'), { recursive: true, force: true });
        await rm(join(state, 'systemd'), { recursive: true, force: true });
        await appendFile(join(state, 'calls.log'), '--- re-flashed\n');
      },
      async stop() {
        await sshd.stop();
        await holder.stop();
      },
    };
    await gateway.setFacts({ cgroupMemory: opts.cgroupMemory ?? true, clockOffsetSeconds: opts.clockOffsetSeconds ?? 0, defaultRoute: opts.defaultRoute ?? true });
    return gateway;
  } catch (error) {
    await sshdForLater.sshd?.stop();
    await holder.stop();
    throw error;
  }
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
}

interface NamespaceHolder {
  pid: number;
  dir: string;
  root: string;
  state: string;
  setFacts(facts: StandinFacts): Promise<void>;
  exec(command: string): Promise<string>;
  stop(): Promise<void>;
}

/** A `sleep` that holds the mount + UTS namespace with the bind mounts; sessions enter it with nsenter. */
async function startNamespace(hostname: string): Promise<NamespaceHolder> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-k3s-gw-'));
  await chmod(dir, 0o755);
  const root = join(dir, 'root');
  const state = join(dir, 'state');
  for (const d of GATEWAY_DIRS) await mkdir(join(root, d), { recursive: true, mode: 0o755 });
  await mkdir(join(state, 'facts'), { recursive: true });
  await writeFile(join(state, 'calls.log'), '');
  const cgroupsFile = join(state, 'facts/proc-cgroups');
  const controllersFile = join(state, 'facts/cgroup.controllers');
  await writeFile(cgroupsFile, await cgroupsTable(true));
  const controllers = '/sys/fs/cgroup/cgroup.controllers';
  const hasControllers = existsSync(controllers);
  if (hasControllers) await writeFile(controllersFile, await readFile(controllers, 'utf8'));

  const setup = [
    'set -e',
    ...GATEWAY_DIRS.map((d) => `mount --bind ${join(root, d)} ${d}`),
    `mount --bind ${cgroupsFile} /proc/cgroups`,
    ...(hasControllers ? [`mount --bind ${controllersFile} ${controllers}`] : []),
    `hostname ${hostname}`,
    'echo ready',
    'exec sleep infinity',
  ].join('\n');
  // Under the registry lock: another gateway stopping must not remove a mount point between our check and our mount.
  const { child, pid } = await withRegistryLock(async () => {
    await claimMountPoints();
    const spawned = spawn('unshare', ['-m', '-u', '--propagation', 'private', '--', '/bin/sh', '-c', setup], { stdio: ['ignore', 'pipe', 'pipe'] });
    await writeFile(join(REGISTRY, 'holders', String(spawned.pid)), '');
    try {
      await waitForReady(spawned);
    } catch (error) {
      await releaseMountPoints(spawned.pid!);
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return { child: spawned, pid: spawned.pid! };
  });
  const env = { ...process.env, FK_GATEWAY_STATE: state, PATH: `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` };
  const exec = async (command: string) => (await run('nsenter', ['-t', String(pid), '-m', '-u', '--', '/bin/sh', '-c', command], { env })).stdout;

  return {
    pid,
    dir,
    root,
    state,
    exec,
    async setFacts(facts) {
      if (facts.hostname !== undefined) await exec(`hostname ${facts.hostname}`);
      if (facts.cgroupMemory !== undefined) {
        await writeFile(cgroupsFile, await cgroupsTable(facts.cgroupMemory));
        if (hasControllers) {
          const list = (await readFile(controllers, 'utf8')).trim().split(/\s+/).filter((c) => c !== 'memory');
          await writeFile(controllersFile, `${[...list, ...(facts.cgroupMemory ? ['memory'] : [])].join(' ')}\n`);
        }
      }
      if (facts.clockOffsetSeconds !== undefined) await writeFile(join(state, 'facts/clock-offset'), `${Math.round(facts.clockOffsetSeconds)}\n`);
      if (facts.defaultRoute === true) await rm(join(state, 'facts/no-default-route'), { force: true });
      if (facts.defaultRoute === false) await writeFile(join(state, 'facts/no-default-route'), '');
    },
    async stop() {
      await killNamespace(pid, child);
      await withRegistryLock(() => releaseMountPoints(pid));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** /proc/cgroups as this machine has it, with the memory controller's `enabled` column set. */
async function cgroupsTable(memory: boolean): Promise<string> {
  const real = await readFile('/proc/cgroups', 'utf8').catch(() => '#subsys_name\thierarchy\tnum_cgroups\tenabled\n');
  const lines = real.trimEnd().split('\n').filter((l) => !l.startsWith('memory\t'));
  return `${[...lines, `memory\t0\t1\t${memory ? 1 : 0}`].join('\n')}\n`;
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the gateway namespace exited (${code}) before it was ready: ${err.trim()}`)));
  });
}

async function nsOf(pid: number | string): Promise<string | undefined> {
  return readlink(`/proc/${pid}/ns/mnt`).catch(() => undefined);
}

/** Everything running in the namespace (agents started by the stand-in systemctl, session shells), then the holder. */
async function killNamespace(pid: number, child: ChildProcess): Promise<void> {
  const ns = await nsOf(pid);
  if (ns) {
    const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p) && Number(p) !== pid);
    for (const p of pids) {
      if ((await nsOf(p)) !== ns) continue;
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A mkdir lock shared by every test process on this machine; a lock older than 30 s is taken as left by a crash. */
async function withRegistryLock<T>(body: () => Promise<T>): Promise<T> {
  const lock = join(REGISTRY, 'lock');
  await mkdir(REGISTRY, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 30_000) await rmdir(lock).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await body();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

async function claimMountPoints(): Promise<void> {
  await mkdir(join(REGISTRY, 'holders'), { recursive: true });
  for (const d of GATEWAY_DIRS) {
    if (existsSync(d)) continue;
    await mkdir(d, { recursive: true, mode: 0o755 });
    await appendFile(join(REGISTRY, 'created'), `${d}\n`);
  }
}

/** The last gateway to stop removes the mount points the gateways created (only while empty). */
async function releaseMountPoints(pid: number): Promise<void> {
  await rm(join(REGISTRY, 'holders', String(pid)), { force: true });
  const others = (await readdir(join(REGISTRY, 'holders')).catch(() => [])).filter((p) => {
    try {
      process.kill(Number(p), 0);
      return true;
    } catch {
      return false;
    }
  });
  if (others.length > 0) return;
  const created = (await readFile(join(REGISTRY, 'created'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  for (const d of created) {
    const isDir = await stat(d).then((s) => s.isDirectory(), () => false);
    if (isDir) await rmdir(d).catch(() => undefined);
  }
  await rm(join(REGISTRY, 'created'), { force: true });
}
