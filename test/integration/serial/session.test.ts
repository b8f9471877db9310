import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, readFile, open, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';
import { SerialSession } from '../../../electron/services/serial/session.js';
import { JsonlFileSink, parseJsonlRecord } from '../../../electron/services/serial/file-log-sink.js';
import { readCapture } from '../../../electron/services/serial/capture-file.js';
import { recordBytes, concat } from './bytes.js';
import type { LogRecord } from '../../../shared/logs/record.js';

const run = promisify(execFile);
const sttySpeed = async (path: string) => Number((await run('stty', ['-F', path, 'speed'])).stdout.trim());

let pair: PtyPair;
let dir: string;
let sink: JsonlFileSink;
let peer: FileHandle;
const opened: SerialSession[] = [];

async function openSession(extra: Partial<Parameters<typeof SerialSession.open>[0]> = {}) {
  const s = await SerialSession.open({ path: pair.a, sink, captureDir: dir, reconnectPollMs: 50, ...extra });
  opened.push(s);
  return s;
}

async function readRecords(): Promise<LogRecord[]> {
  const text = await readFile(join(dir, 'records.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map(parseJsonlRecord);
}

/** Reads from the peer end until `n` bytes came. */
async function peerRead(n: number): Promise<Buffer> {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = await peer.read(buf, got, n - got).catch((e: NodeJS.ErrnoException) => (e.code === 'EAGAIN' ? { bytesRead: 0 } : Promise.reject(e)));
    if (r.bytesRead === 0) await new Promise((res) => setTimeout(res, 10));
    got += r.bytesRead;
  }
  return buf;
}

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeEach(async () => {
  pair = await startPtyPair();
  dir = await mkdtemp(join(tmpdir(), 'fk-session-'));
  sink = await JsonlFileSink.open(join(dir, 'records.jsonl'));
  peer = await open(pair.b, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
});

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  await peer.close().catch(() => undefined);
  await sink.close();
  await pair.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('serial session on a socat pty pair', () => {
  it('captures every received byte into the sink and the capture file, with no UI attached', async () => {
    const s = await openSession({ site: 'lab' });
    const sent = Buffer.concat([Buffer.from('U-Boot 2024.01\r\nDRAM:  1 GiB\r\n\x1b[32mOK\x1b[0m\r\n'), Buffer.from([0, 1, 0xfe, 0xff]), Buffer.from('\r\n=> ')]);
    await peer.write(sent);
    await until(() => s.status().bytesIn === sent.length, 'bytes in');
    await s.flush();
    const records = await readRecords();
    expect(records.map((r) => r.message)).toEqual(['U-Boot 2024.01', 'DRAM:  1 GiB', 'OK', '\uFFFD\uFFFD\uFFFD\uFFFD', '=> ']);
    for (const r of records) expect(r.labels).toEqual({ device: pair.a, source: 'serial', site: 'lab' });
    expect(records.map(recordBytes).reduce(concat)).toEqual(new Uint8Array(sent));
    const ts = records.map((r) => r.tsNs);
    expect([...ts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(ts);

    const raw = join(dir, 'export.raw');
    const text = join(dir, 'export.txt');
    expect(await s.exportRaw(raw)).toBe(sent.length);
    expect((await readFile(raw)).equals(sent)).toBe(true);
    await s.exportText(text);
    const lines = (await readFile(text, 'utf8')).split('\n').slice(0, -1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z # opened /);
    expect(lines.slice(1).map((l) => l.replace(/^\S+ /, ''))).toEqual(['U-Boot 2024.01', 'DRAM:  1 GiB', 'OK', '\uFFFD\uFFFD\uFFFD\uFFFD', '=> ']);
  });

  it('sends bytes and lines with the chosen line ending and counts them', async () => {
    const s = await openSession({ settings: { lineEnding: 'crlf' } });
    await s.sendLine('printenv');
    expect((await peerRead(10)).toString()).toBe('printenv\r\n');
    await s.update({ lineEnding: 'lf' });
    await s.write(new Uint8Array([0x03]));
    await s.sendLine('ls');
    expect([...(await peerRead(4))]).toEqual([0x03, 0x6c, 0x73, 0x0a]);
    expect(s.status().bytesOut).toBe(14);
    const tx = [];
    await s.flush();
    for await (const c of readCapture(s.status().capturePath)) if (c.dir === 'tx') tx.push(...c.bytes);
    expect(Buffer.from(tx).toString()).toBe('printenv\r\n\x03ls\n');
  });

  it('applies line settings to the port (standard, custom rates, framing) and keeps capturing', async () => {
    const s = await openSession({ settings: { baudRate: 9600 } });
    expect(await sttySpeed(pair.a)).toBe(9600);
    await s.update({ baudRate: 57600 });
    expect(await sttySpeed(pair.a)).toBe(57600);
    await s.update({ dataBits: 7, parity: 'even', stopBits: 2, xonxoff: true });
    // The Linux pty driver forces cs8 and no parity; stop bits and XON/XOFF show through.
    const { stdout } = await run('stty', ['-F', pair.a, '-a']);
    expect(stdout).toMatch(/ cstopb /);
    expect(stdout).toMatch(/ ixon ixoff/);
    expect(s.status().settings).toMatchObject({ dataBits: 7, parity: 'even', stopBits: 2, xonxoff: true });
    await s.update({ baudRate: 250000, dataBits: 8, parity: 'none', stopBits: 1, xonxoff: false });
    expect(s.status().settings.baudRate).toBe(250000);
    await peer.write('still here\n');
    await until(() => s.status().bytesIn === 11, 'data after reopen');
    await expect(s.update({ baudRate: -1 })).rejects.toThrow('invalid baud rate: -1');
  });

  it('reports DTR/RTS and BREAK refusals of a pty as one-line errors and stays usable', async () => {
    const s = await openSession();
    await expect(s.setSignals({ dtr: false })).rejects.toThrow(/^cannot set DTR\/RTS on .*: /);
    await expect(s.sendBreak(10)).rejects.toThrow(/^cannot send BREAK on /);
    expect(s.status().signals).toEqual({ dtr: true, rts: true });
    await s.write('x');
    expect((await peerRead(1)).toString()).toBe('x');
  });

  it('refuses a missing port with a clear reason', async () => {
    await expect(SerialSession.open({ path: join(dir, 'nope'), sink, captureDir: dir })).rejects.toThrow(`no such port: ${join(dir, 'nope')}`);
  });

  it('reconnects after unplug/replug and keeps every byte received before the unplug', async () => {
    const s = await openSession();
    const events: string[] = [];
    s.on('disconnected', () => events.push('disconnected'));
    s.on('reconnected', () => events.push('reconnected'));
    const before = Buffer.from('line before unplug\r\npartial-prompt> ');
    await peer.write(before);
    await until(() => s.status().bytesIn === before.length, 'bytes before unplug');
    await peer.close();
    await pair.unplug();
    await until(() => s.status().state === 'reconnecting', 'reconnecting state');
    await expect(s.write('x')).rejects.toThrow(/disconnected/);
    await pair.restart();
    await until(() => s.status().state === 'open', 'reopened');
    peer = await open(pair.b, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    const after = Buffer.from('after replug\n');
    await peer.write(after);
    await until(() => s.status().bytesIn === before.length + after.length, 'bytes after replug');
    expect(events).toEqual(['disconnected', 'reconnected']);
    expect(s.status().reconnects).toBe(1);

    await s.flush();
    const raw = join(dir, 'all.raw');
    await s.exportRaw(raw);
    expect((await readFile(raw)).equals(Buffer.concat([before, after]))).toBe(true);
    const records = await readRecords();
    expect(records.map((r) => r.message)).toEqual(['line before unplug', 'partial-prompt> ', 'after replug']);
    const notes = [];
    for await (const c of readCapture(s.status().capturePath)) if (c.dir === 'note') notes.push(new TextDecoder().decode(c.bytes).split(':')[0]);
    expect(notes.slice(1)).toEqual(['disconnected', `reconnected on ${pair.a}`]);
  });

  it('auto-detects the baud rate of a peer that only speaks text at 57600', async () => {
    const s = await openSession({ settings: { baudRate: 9600 } });
    let stop = false;
    const talker = (async () => {
      while (!stop) {
        const ok = (await sttySpeed(pair.a).catch(() => 0)) === 57600;
        await peer.write(ok ? Buffer.from('gw-17 login: '.repeat(4)) : Buffer.from([0xf8, 0x80, 0x00, 0xfe, 0x1f, 0x9c, 0xe0]));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const verdict = await s.detectBaud({ rates: [115200, 9600, 57600, 38400], sampleMs: 400 });
    stop = true;
    await talker;
    expect(verdict.baudRate).toBe(57600);
    expect(s.status().settings.baudRate).toBe(57600);
    expect(verdict.scores.find((x) => x.baudRate === 57600)!.ratio).toBeGreaterThan(0.9);
  });
});
