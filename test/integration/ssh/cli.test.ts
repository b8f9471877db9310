import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd, installJournalctlStandin } from '../../harness/sshd.js';
import { runFieldkit } from '../../harness/cli-run.js';
import { IndexClient } from '../../../electron/services/index/index-client.js';

let sshd: Sshd;
let dataDir: string;

beforeAll(async () => {
  sshd = await startSshd();
  dataDir = await mkdtemp(join(tmpdir(), 'fk-ssh-cli-'));
  await installJournalctlStandin(sshd);
}, 30_000);
afterAll(async () => {
  await sshd?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const fieldkit = (...args: string[]) => runFieldkit(['--data-dir', dataDir, ...args]);

const conn = () => ['--port', String(sshd.port), '--identity', sshd.clientKey.privatePath];

describe('fieldkit ssh', () => {
  it('exec without a terminal refuses an unknown host key, naming its fingerprint (strict "yes" default)', async () => {
    const r = await fieldkit('ssh', 'exec', ...conn(), 'root@127.0.0.1', '--', 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/not known \(ssh-(ed25519|ecdsa)\S* SHA256:[A-Za-z0-9+/]{43}\)/);
  });

  it('exec with accept-new stores the key and returns the remote exit code and output', async () => {
    const r = await fieldkit('ssh', 'exec', ...conn(), '--strict-host-keys', 'accept-new', 'root@127.0.0.1', '--', 'echo', 'hi;', 'exit', '4');
    expect(r).toMatchObject({ code: 4, stdout: 'hi\n' });
    const again = await fieldkit('ssh', 'exec', ...conn(), 'root@127.0.0.1', '--', 'true');
    expect(again.code).toBe(0);
  });

  it('exec fails with a hard stop when the stored key changed', async () => {
    const knownHosts = join(dataDir, 'changed_known_hosts');
    const other = sshd.clientKey.publicLine.split(' ').slice(0, 2).join(' ');
    await writeFile(knownHosts, `[127.0.0.1]:${sshd.port} ${other}\n`);
    const r = await fieldkit('ssh', 'exec', ...conn(), '--known-hosts', knownHosts, 'root@127.0.0.1', '--', 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('HAS CHANGED');
    expect(r.stderr).toMatch(/SHA256:/);
  });

  it('exec reaches a second sshd through --jump', async () => {
    const inner = await startSshd();
    try {
      await inner.authorize(sshd.clientKey.publicLine);
      const r = await fieldkit(
        'ssh', 'exec', '--identity', sshd.clientKey.privatePath, '--strict-host-keys', 'accept-new',
        '--jump', `root@127.0.0.1:${sshd.port}`, `root@127.0.0.1:${inner.port}`, '--', 'echo $SSH_CONNECTION',
      );
      expect(r.code).toBe(0);
      expect(r.stdout.trim().endsWith(String(inner.port))).toBe(true);
    } finally {
      await inner.stop();
    }
  });

  it('put and get a file, resuming when asked', async () => {
    const local = join(dataDir, 'up.txt');
    await writeFile(local, 'x'.repeat(100_000));
    const remote = `root@127.0.0.1:${join(sshd.dir, 'up.txt')}`;
    expect((await fieldkit('ssh', 'put', ...conn(), local, remote)).code).toBe(0);
    const back = join(dataDir, 'down.txt');
    const r = await fieldkit('ssh', 'get', ...conn(), '--resume', remote, back);
    expect(r.code).toBe(0);
    expect(await readFile(back, 'utf8')).toBe('x'.repeat(100_000));
    const bad = await fieldkit('ssh', 'get', ...conn(), 'root@127.0.0.1', back);
    expect(bad.code).toBe(2);
  });

  it('collect-logs streams the journal into the index and imports the bundle', async () => {
    const r = await fieldkit('ssh', 'collect-logs', ...conn(), '--device', 'gw-17', 'root@127.0.0.1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('journal: 5 records into the index');
    expect(r.stdout).toMatch(/bundle: .*gw-17-.*\.tar\.gz/);
    const index = await IndexClient.open(join(dataDir, 'index'));
    try {
      expect(await index.count('source:journald device:gw-17')).toBe(5);
    } finally {
      await index.close();
    }
  }, 60_000);
});
