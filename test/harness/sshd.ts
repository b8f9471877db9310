/**
 * Starts a real OpenSSH server on 127.0.0.1 with its own config, host keys and authorized_keys under a temp dir.
 * Never touches the system's sshd. Needs root (sshd privilege separation) and /run/sshd.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  privatePath: string;
  publicLine: string;
}

export interface Sshd {
  port: number;
  dir: string;
  pid: number;
  /** Directory first on the PATH of every session (for stand-in tools such as journalctl). */
  binDir: string;
  hostKeys: KeyPair[];
  /** Unencrypted ed25519 key already in authorized_keys. */
  clientKey: KeyPair;
  authorize(publicLine: string): Promise<void>;
  /**
   * Signals the per-connection sshd processes; the listener stays. SIGKILL (default) cuts every open session,
   * SIGSTOP leaves the TCP connection open but silent (a dead peer for keepalive tests).
   */
  killSessions(signal?: NodeJS.Signals): Promise<number>;
  stop(): Promise<void>;
}

export const PASSWORD_USER = 'fieldkit-ssh-test';
/** Throwaway password of a throwaway local account; tests also use it to prove redaction. */
export const PASSWORD_USER_PASSWORD = 'Fk-test-Pa55-7c1e9b';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function generateKey(
  path: string,
  opts: { type?: 'ed25519' | 'rsa' | 'ecdsa'; passphrase?: string; format?: 'openssh' | 'pem'; comment?: string } = {},
): Promise<KeyPair> {
  const args = ['-q', '-t', opts.type ?? 'ed25519', '-N', opts.passphrase ?? '', '-f', path, '-C', opts.comment ?? 'fk'];
  if (opts.format === 'pem') args.push('-m', 'PEM');
  if (opts.type === 'rsa') args.push('-b', '2048');
  await run('ssh-keygen', args);
  return { privatePath: path, publicLine: (await readFile(`${path}.pub`, 'utf8')).trim() };
}

/** A local account with a known password, for password and keyboard-interactive auth (root's is never changed). */
export async function ensurePasswordUser(): Promise<{ user: string; password: string }> {
  const exists = await run('getent', ['passwd', PASSWORD_USER]).then(
    () => true,
    () => false,
  );
  if (!exists) await run('useradd', ['-M', '-d', '/tmp', '-s', '/bin/sh', PASSWORD_USER]);
  const child = spawn('chpasswd', { stdio: ['pipe', 'ignore', 'inherit'] });
  child.stdin.end(`${PASSWORD_USER}:${PASSWORD_USER_PASSWORD}\n`);
  await new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd exited ${code}`)))),
  );
  return { user: PASSWORD_USER, password: PASSWORD_USER_PASSWORD };
}

/**
 * `pam`: keyboard-interactive needs PAM on Linux (without it sshd offers no kbd-interactive device), so only the
 * server used for that test runs with `UsePAM yes`; everything else uses `UsePAM no`.
 */
export async function startSshd(opts: { extraConfig?: string[]; pam?: boolean } = {}): Promise<Sshd> {
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'fk-sshd-'));
  const binDir = join(dir, 'bin');
  await mkdir(binDir, { mode: 0o755 });
  const home = join(dir, 'home');
  await mkdir(home, { mode: 0o755 });
  await chmod(dir, 0o711);
  const hostKeys = [
    await generateKey(join(dir, 'ssh_host_ed25519_key'), { type: 'ed25519' }),
    await generateKey(join(dir, 'ssh_host_ecdsa_key'), { type: 'ecdsa' }),
  ];
  const clientKey = await generateKey(join(dir, 'client_ed25519'));
  const authorizedKeys = join(dir, 'authorized_keys');
  await writeFile(authorizedKeys, `${clientKey.publicLine}\n`, { mode: 0o600 });
  const port = await freePort();
  const config = [
    `ListenAddress 127.0.0.1:${port}`,
    ...hostKeys.map((k) => `HostKey ${k.privatePath}`),
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `UsePAM ${opts.pam ? 'yes' : 'no'}`,
    'StrictModes no',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication yes',
    'PubkeyAuthentication yes',
    'AllowTcpForwarding yes',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PrintMotd no',
    'MaxSessions 32',
    'MaxStartups 64',
    // An empty HOME keeps the machine's dotfiles out of test sessions: a root ~/.bashrc running `pyenv init` hung every
    // command once, after a killed session left pyenv's rehash lock behind. The working folder stays the account's.
    `SetEnv PATH=${binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=${home}`,
    'Subsystem sftp internal-sftp',
    ...(opts.extraConfig ?? []),
  ];
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, `${config.join('\n')}\n`);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForListening(child, port);
  const pid = child.pid!;

  return {
    port,
    dir,
    pid,
    binDir,
    hostKeys,
    clientKey,
    authorize: (line) => appendFile(authorizedKeys, `${line}\n`),
    async killSessions(signal: NodeJS.Signals = 'SIGKILL') {
      const sessions = await descendants(pid);
      return sessions.filter((p) => signalIfAlive(p, signal)).length;
    },
    async stop() {
      for (const p of await descendants(pid)) signalIfAlive(p, 'SIGKILL');
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** Per-connection sshd processes (monitor and privilege-separated child) hold the socket: all must go. */
async function descendants(parent: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(parent)]).catch(() => ({ stdout: '' }));
  const children = stdout.split(/\s+/).filter(Boolean).map(Number);
  const nested = await Promise.all(children.map(descendants));
  return [...children, ...nested.flat()];
}

function waitForListening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sshd exited ${code} before listening:\n${log}`)));
  });
}

export interface Agent {
  socket: string;
  add(privatePath: string): Promise<void>;
  stop(): Promise<void>;
}

/** Debian's ssh-agent in the foreground on its own socket. */
export async function startAgent(): Promise<Agent> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-agent-'));
  const socket = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await run('ssh-add', ['-l'], { env: { SSH_AUTH_SOCK: socket } }).then(
      () => true,
      (e: { code?: number }) => e.code === 1,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    socket,
    add: async (privatePath) => {
      await chmod(privatePath, 0o600);
      await run('ssh-add', [privatePath], { env: { SSH_AUTH_SOCK: socket } });
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * No journald runs here: puts a stand-in `journalctl` on the server sessions' PATH that prints real `-o export`
 * output recorded in test/fixtures/ssh/journal.export.
 */
export async function installJournalctlStandin(sshd: Sshd): Promise<void> {
  const fixtures = new URL('../fixtures/ssh/', import.meta.url).pathname;
  await copyFile(join(fixtures, 'journalctl-standin.sh'), join(sshd.binDir, 'journalctl'));
  await copyFile(join(fixtures, 'journal.export'), join(sshd.binDir, 'journal.export'));
}
