// SSH benchmark: FieldKit's SFTP upload vs OpenSSH scp, and FieldKit exec round trips vs `ssh host true` over a
// shared ControlMaster connection, all against the same loopback sshd started for this run (test/harness/sshd.ts).
// Usage: npm run bench:ssh [-- --mb 256] [--runs 2] [--roundtrips 100] [--scp-cipher NAME]
// Each tool uses its default cipher (ssh2: aes128-gcm@openssh.com, OpenSSH: chacha20-poly1305) unless --scp-cipher.
// Each upload is timed end to end (open, transfer, close); the best of --runs per tool is reported, runs alternate
// between the tools so background load from other processes hits both alike. Writes bench/results/ssh.json.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { startSshd } from '../test/harness/sshd.js';
import { connectChain } from '../electron/services/ssh/connect.js';
import { SshSession } from '../electron/services/ssh/session.js';
import { uploadFile } from '../electron/services/ssh/sftp-transfer.js';
import { HostTrustStore } from '../electron/services/ssh/trust-store.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '256' },
    runs: { type: 'string', default: '2' },
    roundtrips: { type: 'string', default: '100' },
    'scp-cipher': { type: 'string' },
  },
});
const MB = 1024 * 1024;
const sizeMb = Number(values.mb);
const runs = Number(values.runs);
const roundtrips = Number(values.roundtrips);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits: number) => Number(x.toFixed(digits));

const sshd = await startSshd();
const dir = await mkdtemp(join(tmpdir(), 'fk-bench-ssh-'));
try {
  const file = join(dir, 'payload.bin');
  const fh = await open(file, 'w');
  for (let done = 0; done < sizeMb * MB; done += 8 * MB) await fh.write(randomBytes(8 * MB));
  await fh.close();

  const trust = new HostTrustStore(join(dir, 'known_hosts'), []);
  const session = new SshSession(
    await connectChain(
      [{ host: '127.0.0.1', port: sshd.port, user: 'root', auth: { kind: 'key', privateKey: await readFile(sshd.clientKey.privatePath), source: sshd.clientKey.privatePath } }],
      { trust, strict: 'accept-new' },
    ),
  );
  const knownHosts = join(dir, 'openssh_known_hosts');
  await writeFile(knownHosts, sshd.hostKeys.map((k) => `[127.0.0.1]:${sshd.port} ${k.publicLine}`).join('\n') + '\n');
  const control = join(dir, 'cm.sock');
  const sshOpts = ['-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-i', sshd.clientKey.privatePath];

  const fieldkitUpload = async () => {
    const t0 = performance.now();
    await uploadFile(await session.sftp(), file, join(sshd.dir, 'fk.bin'));
    return (sizeMb * 1000) / (performance.now() - t0);
  };
  const scpUpload = async () => {
    const t0 = performance.now();
    const cipher = values['scp-cipher'] ? ['-c', values['scp-cipher']] : [];
    await run('scp', ['-q', '-P', String(sshd.port), ...cipher, ...sshOpts, file, `root@127.0.0.1:${join(sshd.dir, 'scp.bin')}`]);
    return (sizeMb * 1000) / (performance.now() - t0);
  };
  const fk: number[] = [];
  const scp: number[] = [];
  for (let i = 0; i < runs; i++) {
    scp.push(await scpUpload());
    fk.push(await fieldkitUpload());
  }
  const sftpMbps = Math.max(...fk);
  const scpMbps = Math.max(...scp);

  const fkTimes: number[] = [];
  for (let i = 0; i < roundtrips; i++) {
    const t0 = performance.now();
    const r = await session.exec('true');
    fkTimes.push(performance.now() - t0);
    if (r.code !== 0) throw new Error(`true exited ${r.code}`);
  }
  session.close();

  const master = spawn('ssh', ['-M', '-S', control, '-N', '-p', String(sshd.port), ...sshOpts, 'root@127.0.0.1'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await run('ssh', ['-S', control, '-O', 'check', 'root@127.0.0.1']).then(() => true, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const sshTimes: number[] = [];
  for (let i = 0; i < roundtrips; i++) {
    const t0 = performance.now();
    await run('ssh', ['-S', control, '-p', String(sshd.port), ...sshOpts, 'root@127.0.0.1', 'true']);
    sshTimes.push(performance.now() - t0);
  }
  master.kill();

  const result = {
    sftp_upload_mb_per_s: round(sftpMbps, 1),
    scp_upload_mb_per_s: round(scpMbps, 1),
    ratio: round(sftpMbps / scpMbps, 3),
    exec_roundtrip_ms_p50: round(median(fkTimes), 2),
    ssh_exec_roundtrip_ms_p50: round(median(sshTimes), 2),
    note: `${sizeMb} MiB file, scp cipher ${values['scp-cipher'] ?? 'default'}, best of ${runs} alternating runs per tool; ${roundtrips} round trips each; loopback sshd; ${cpus().length} cores shared with other agents (load average ${loadavg()[0].toFixed(2)} at the end)`,
  };
  await writeFile(new URL('../../bench/results/ssh.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(`all runs MB/s: fieldkit ${fk.map((x) => x.toFixed(1)).join(', ')}; scp ${scp.map((x) => x.toFixed(1)).join(', ')}`);
} finally {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
}
