import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, writeFile, mkdir, open } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startCli } from '../../harness/cli-run.js';
import { IndexClient } from '../../../electron/services/index/index-client.js';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';
import { startUboot, UBOOT_LOAD_ADDR } from '../../harness/uboot.js';
import { startReceiver } from './lrzsz.js';

let dataDir: string;
let pair: PtyPair;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'fk-serial-cli-'));
  pair = await startPtyPair();
});
afterAll(async () => {
  await pair?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (args: string[], signal?: AbortSignal) => startCli(['--data-dir', dataDir, ...args], signal && { signal });
const fieldkit = (args: string[]) => start(args).done;

const lastLine = (s: string) => s.trim().split('\n').pop() ?? '';

describe('fieldkit serial / uboot CLI against real peers', () => {
  it('serial list --json prints the ports with names and identities', async () => {
    const r = await fieldkit(['serial', 'list', '--json']);
    expect(r.code).toBe(0);
    const ports = JSON.parse(r.stdout) as { path: string; name: string; identity: string }[];
    for (const p of ports) expect(p).toMatchObject({ path: expect.any(String), name: expect.any(String), identity: expect.any(String) });
  });

  it('serial send delivers a file to lrzsz rb with YMODEM and exits 0', async () => {
    const src = join(dataDir, 'fw.bin');
    const data = randomBytes(70_000);
    await writeFile(src, data);
    const out = join(dataDir, 'rb-out');
    await mkdir(out);
    const rb = startReceiver(pair.b, out, ['rb', '-b', '-q']);
    const r = await fieldkit(['serial', 'send', '--protocol', 'ymodem', '--port', pair.a, '--baud', '115200', src]);
    expect((await rb.done).code).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sent 70000 bytes in 1 file\(s\) with ymodem \(crc\)/);
    expect((await readFile(join(out, 'fw.bin'))).equals(data)).toBe(true);
  }, 60_000);

  it('serial send fails with one line when nothing answers, the port is missing, or the protocol is unknown', async () => {
    const src = join(dataDir, 'small.bin');
    await writeFile(src, 'x');
    const silent = await fieldkit(['serial', 'send', '--protocol', 'xmodem', '--port', pair.a, '--timeout', '1', src]);
    expect(silent.code).toBe(1);
    expect(silent.stderr.trim().split('\n').filter((l) => l.startsWith('fieldkit'))).toEqual(['fieldkit serial send: transfer failed: receiver never asked for data (no NAK or C)']);
    const missing = await fieldkit(['serial', 'send', '--protocol', 'xmodem', '--port', join(dataDir, 'ttyNONE'), src]);
    expect(missing.code).toBe(1);
    expect(lastLine(missing.stderr)).toBe(`fieldkit serial send: no such port: ${join(dataDir, 'ttyNONE')}`);
    const bad = await fieldkit(['serial', 'send', '--protocol', 'kermit', '--port', pair.a, src]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--protocol must be one of xmodem, xmodem1k, ymodem.');
  }, 30_000);

  it('serial capture puts received lines into the log index until stopped', async () => {
    const stop = new AbortController();
    const running = start(['serial', 'capture', '--port', pair.a, '--baud', '9600'], stop.signal);
    const deadline = Date.now() + 20_000;
    while (!running.output.stderr.includes('capturing') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const peer = await open(pair.b, constants.O_RDWR | constants.O_NOCTTY);
    try {
      await peer.write('gateway booted\r\nlink up eth0\r\n');
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await peer.close();
    }
    stop.abort();
    const r = await running.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('stopped: 30 bytes received, 0 reconnects');
    const index = await IndexClient.open(join(dataDir, 'index'));
    try {
      const page = await index.search('source:serial "link up"', { limit: 10 });
      expect(page.hits.map((h) => [h.message, h.labels.device])).toEqual([['link up eth0', pair.a]]);
      expect(await index.count('source:serial')).toBeGreaterThanOrEqual(2);
    } finally {
      await index.close();
    }
  }, 30_000);

  it('uboot load interrupts autoboot, loads with loady and exits 0 on a matching crc32', async () => {
    const vm = await startUboot();
    try {
      const src = join(dataDir, 'kernel.img');
      await writeFile(src, randomBytes(40_000));
      const r = await fieldkit(['uboot', 'load', '--port', vm.pty, '--addr', `0x${UBOOT_LOAD_ADDR.toString(16)}`, src]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^loaded 40000 bytes at 0x40200000; crc32 [0-9a-f]{8} matches\n$/);
    } finally {
      await vm.stop();
    }
  }, 120_000);

  it('uboot load exits 1 with one line when no U-Boot answers', async () => {
    const src = join(dataDir, 'k.img');
    await writeFile(src, 'abc');
    const r = await fieldkit(['uboot', 'load', '--port', pair.a, '--addr', '0x40200000', '--timeout', '2', src]);
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toBe('fieldkit uboot load: no U-Boot prompt "=>" within 2000 ms');
    const bad = await fieldkit(['uboot', 'load', '--port', pair.a, '--addr', 'nowhere', src]);
    expect(bad.code).toBe(2);
  }, 30_000);
});
