import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../../harness/sshd.js';
import { TransferCancelledError } from '../../../electron/services/ssh/errors.js';
import { downloadFile, uploadFile } from '../../../electron/services/ssh/sftp-transfer.js';
import type { TransferProgress } from '../../../shared/ssh/types.js';
import { openSession, testEnv, type TestEnv } from './env.js';

const MB = 1024 * 1024;
let sshd: Sshd;
let env: TestEnv;
let bigFile: string;
let bigSha: string;

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w');
  for (let done = 0; done < bytes; done += 4 * MB) await fh.write(randomBytes(Math.min(4 * MB, bytes - done)));
  await fh.close();
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

beforeAll(async () => {
  sshd = await startSshd();
  env = await testEnv();
  bigFile = join(env.dir, 'big.bin');
  await writeRandomFile(bigFile, 100 * MB);
  bigSha = await sha256File(bigFile);
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
  await env?.cleanup();
});

describe('SFTP', () => {
  it('round-trips a 100 MB file with equal SHA-256 and reports progress with speed and ETA', async () => {
    const session = await openSession(sshd, env);
    const sftp = await session.sftp();
    const remote = join(sshd.dir, 'roundtrip.bin');
    const progress: TransferProgress[] = [];
    const up = await uploadFile(sftp, bigFile, remote, { onProgress: (p) => progress.push(p) });
    expect(up).toEqual({ bytesTotal: 100 * MB, startOffset: 0 });
    expect((await session.execText(`sha256sum ${remote}`)).stdout.split(' ')[0]).toBe(bigSha);
    const last = progress[progress.length - 1];
    expect(last.bytesDone).toBe(100 * MB);
    expect(last.etaSeconds).toBe(0);
    expect(progress.every((p) => p.bytesPerSecond >= 0)).toBe(true);

    const back = join(env.dir, 'back.bin');
    await downloadFile(sftp, remote, back);
    expect(await sha256File(back)).toBe(bigSha);
    session.close();
  }, 120_000);

  it('resumes an upload after the connection is cut mid-transfer (sshd session child killed)', async () => {
    const remote = join(sshd.dir, 'resumed.bin');
    const first = await openSession(sshd, env);
    let killed: Promise<number> | undefined;
    const err = await uploadFile(await first.sftp(), bigFile, remote, {
      concurrency: 2,
      chunkSize: 32 * 1024,
      onProgress: (p) => {
        if (!killed && p.bytesDone > 30 * MB) killed = sshd.killSessions();
      },
    }).catch((e: unknown) => e);
    expect(await killed).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(Error);
    expect(first.closed).toBe(true);

    const second = await openSession(sshd, env);
    const progress: TransferProgress[] = [];
    const result = await uploadFile(await second.sftp(), bigFile, remote, {
      resume: true,
      onProgress: (p) => progress.push(p),
    });
    expect(result.startOffset).toBeGreaterThan(0);
    expect(result.startOffset).toBeLessThan(100 * MB);
    expect(progress[0].startOffset).toBe(result.startOffset);
    expect((await second.execText(`sha256sum ${remote}`)).stdout.split(' ')[0]).toBe(bigSha);
    second.close();
  }, 120_000);

  it('resumes a download and starts over when the partial file is not a prefix of the source', async () => {
    const session = await openSession(sshd, env);
    const sftp = await session.sftp();
    const remote = join(sshd.dir, 'src.bin');
    await uploadFile(sftp, bigFile, remote);
    const local = join(env.dir, 'partial.bin');
    const fh = await open(bigFile, 'r');
    const head = Buffer.alloc(40 * MB);
    await fh.read(head, 0, head.length, 0);
    await fh.close();
    const out = await open(local, 'w');
    await out.write(head);
    await out.close();
    const resumed = await downloadFile(sftp, remote, local, { resume: true });
    expect(resumed.startOffset).toBeGreaterThan(0);
    expect(await sha256File(local)).toBe(bigSha);

    const garbage = join(env.dir, 'garbage.bin');
    await writeRandomFile(garbage, 20 * MB);
    const restarted = await downloadFile(sftp, remote, garbage, { resume: true });
    expect(restarted.startOffset).toBe(0);
    expect(await sha256File(garbage)).toBe(bigSha);
    session.close();
  }, 120_000);

  it('cancels a transfer, keeping the partial file', async () => {
    const session = await openSession(sshd, env);
    const remote = join(sshd.dir, 'cancelled.bin');
    const abort = new AbortController();
    const err = await uploadFile(await session.sftp(), bigFile, remote, {
      signal: abort.signal,
      concurrency: 1,
      chunkSize: 32 * 1024,
      onProgress: (p) => p.bytesDone > 5 * MB && abort.abort(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferCancelledError);
    const size = (await stat(remote)).size;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(100 * MB);
    session.close();
  });

  it('leaves no listeners behind on the shared SFTP channel after many transfers', async () => {
    const session = await openSession(sshd, env);
    const sftp = await session.sftp();
    const before = sftp.listenerCount('close');
    const small = join(env.dir, 'small.txt');
    await writeFile(small, 'tiny');
    for (let i = 0; i < 15; i++) await session.upload(small, join(sshd.dir, `small-${i}.txt`));
    await expect(session.upload(join(env.dir, 'missing'), join(sshd.dir, 'm'))).rejects.toThrow(/does not exist/);
    expect(sftp.listenerCount('close')).toBe(before);
    session.close();
  });

  it('lists, creates, renames and deletes remote entries', async () => {
    const session = await openSession(sshd, env);
    const files = await session.files();
    const base = join(sshd.dir, 'browse');
    await files.mkdir(base);
    await files.mkdir(`${base}/sub`);
    await session.exec(`printf abc > ${base}/a.txt`);
    await files.rename(`${base}/a.txt`, `${base}/b.txt`);
    expect((await files.list(base)).map((e) => [e.name, e.kind, e.size])).toEqual([
      ['b.txt', 'file', 3],
      ['sub', 'directory', expect.any(Number)],
    ]);
    await files.remove(`${base}/b.txt`);
    await files.remove(`${base}/sub`);
    expect(await files.list(base)).toEqual([]);
    await expect(files.list(`${base}/missing`)).rejects.toThrow(`${base}/missing`);
    session.close();
  });
});

describe('terminal and tunnels', () => {
  it('opens a PTY terminal that resizes and reports exit', async () => {
    const session = await openSession(sshd, env);
    const term = await session.terminal({ cols: 80, rows: 24 });
    let screen = '';
    term.on('data', (d) => (screen += d.toString()));
    const exited = new Promise((resolve) => term.once('exit', resolve));
    const waitFor = async (re: RegExp) => {
      while (!re.test(screen)) await new Promise((r) => setTimeout(r, 20));
    };
    term.write('echo "T=$TERM"; stty size\n');
    await waitFor(/T=xterm-256color[\s\S]*24 80/);
    term.resize(100, 40);
    term.write('stty size\n');
    await waitFor(/40 100/);
    term.write('exit 3\n');
    expect(await exited).toEqual({ code: 3 });
    session.close();
  });

  it('forwards a local port to an HTTP server reachable from the gateway', async () => {
    const http: Server = createServer((req, res) => res.end(`hello from ${req.url}`));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const httpPort = (http.address() as { port: number }).port;
    const session = await openSession(sshd, env);
    const fwd = await session.forwardLocal({ remoteHost: '127.0.0.1', remotePort: httpPort });
    expect(fwd.localPort).not.toBe(httpPort);
    for (const path of ['/a', '/b']) {
      const res = await fetch(`http://127.0.0.1:${fwd.localPort}${path}`);
      expect(await res.text()).toBe(`hello from ${path}`);
    }
    await fwd.close();
    await expect(fetch(`http://127.0.0.1:${fwd.localPort}/`)).rejects.toThrow();
    session.close();
    await new Promise((r) => http.close(r));
  });
});
