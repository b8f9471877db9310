import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import type { StreamEvent } from '../../../shared/contract/index.js';
import type { SerialSessionStatus } from '../../../shared/contract/serial.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';
import { openPtyPeer, startEchoShell } from '../../harness/pty-peer.js';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';
import { startReceiver } from '../serial/lrzsz.js';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

/** A console attached to a session, as the UI sees it: received text and the latest status. */
function attach(harness: Harness, sessionId: string, replay = true) {
  let text = '';
  let status: SerialSessionStatus | undefined;
  const events: StreamEvent<'serial.attach'>[] = [];
  let ended: { error?: FieldkitError } | undefined;
  const stop = harness.client.subscribe('serial.attach', { sessionId, replay }, {
    next: (event) => {
      events.push(event);
      if (event.type === 'data') text += Buffer.from(event.data, 'base64').toString('latin1');
      else status = event.status;
    },
    end: (error) => (ended = { error }),
  });
  return { text: () => text, status: () => status, events, ended: () => ended, stop };
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the Console section backend over the contract, against a socat pty pair', () => {
  let harness: Harness;
  let pair: PtyPair;
  let scratch: string;
  beforeAll(async () => {
    [harness, pair, scratch] = await Promise.all([overWebSocket(), startPtyPair(), mkdtemp(join(tmpdir(), 'fk-serial-ui-'))]);
  });
  afterAll(async () => {
    await harness.close();
    await pair.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('opens, writes, reads back, keeps capturing with no console attached, lands in the log index, exports and closes', async () => {
    const device = openPtyPeer(pair.b);
    try {
      const opened = await harness.client.call('serial.open', { path: pair.a, settings: { baudRate: 57600 } });
      expect(opened).toMatchObject({ path: pair.a, state: 'open', name: 'Pseudo-terminal', device: pair.a, transferring: false });
      expect(opened.settings).toMatchObject({ baudRate: 57600, dataBits: 8, parity: 'none', stopBits: 1 });
      expect(harness.backend.connections.count).toBe(1);

      const console1 = attach(harness, opened.id);
      await harness.client.call('serial.write', { sessionId: opened.id, data: b64('uname -a\r') });
      await device.waitFor(/uname -a\r/);
      await device.write('Linux gw-17 6.1.0 aarch64\r\nroot@gw-17:~# ');
      await until(() => console1.text().includes('root@gw-17:~# '), 'the reply in the console');
      console1.stop();

      // The tab is closed; the gateway keeps talking and every line still reaches the index.
      await device.write('kernel: eth0 link up 1000Mbps\r\n');
      const total = Buffer.byteLength('Linux gw-17 6.1.0 aarch64\r\nroot@gw-17:~# kernel: eth0 link up 1000Mbps\r\n');
      for (;;) {
        const [session] = (await harness.client.call('serial.sessions', {})).sessions;
        if (session!.bytesIn === total) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      const console2 = attach(harness, opened.id);
      await until(() => console2.status(), 'the status after the scrollback');
      expect(console2.events[0]).toMatchObject({ type: 'data', replay: true });
      expect(console2.text()).toBe('Linux gw-17 6.1.0 aarch64\r\nroot@gw-17:~# kernel: eth0 link up 1000Mbps\r\n');
      expect(console2.status()).toMatchObject({ bytesIn: total, bytesOut: 'uname -a\r'.length, state: 'open', reconnects: 0 });

      const raw = join(scratch, 'capture.bin');
      const text = join(scratch, 'capture.txt');
      const rawExport = await harness.client.call('serial.export', { sessionId: opened.id, format: 'raw', path: raw });
      expect((await readFile(raw)).toString('latin1')).toBe('Linux gw-17 6.1.0 aarch64\r\nroot@gw-17:~# kernel: eth0 link up 1000Mbps\r\n');
      expect(rawExport.bytes).toBe((await readFile(raw)).length);
      await harness.client.call('serial.export', { sessionId: opened.id, format: 'text', path: text });
      expect(await readFile(text, 'utf8')).toMatch(/^\S+Z Linux gw-17 6\.1\.0 aarch64$/m);

      await harness.client.call('serial.close', { sessionId: opened.id });
      await until(() => console2.ended(), 'the attached console to end when the session closes');
      expect(harness.backend.connections.count).toBe(0);
      expect((await harness.client.call('serial.sessions', {})).sessions).toEqual([]);

      const { hits } = await harness.client.call('logs.search', { query: 'source:serial eth0', limit: 10 });
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({ source: 'serial', device: pair.a, message: expect.stringMatching(/kernel: eth0 link up 1000Mbps$/) });
      const prompt = await harness.client.call('logs.search', { query: 'source:serial "aarch64"', limit: 10 });
      expect(prompt.hits.map((h) => h.message)).toEqual(['Linux gw-17 6.1.0 aarch64']);

      await expect(harness.client.call('serial.write', { sessionId: opened.id, data: b64('x') })).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await device.close();
    }
  });

  it('lists the ports the system enumerates, and streams the same list to a watcher', async () => {
    const { ports } = await harness.client.call('serial.ports', {});
    for (const port of ports) expect(port.path).toMatch(/^\/dev\//);
    const watched = await new Promise<unknown>((resolve) => {
      const stop = harness.client.subscribe('serial.watchPorts', {}, {
        next: (event) => {
          stop();
          resolve(event.ports);
        },
      });
    });
    expect(watched).toEqual(ports);
  });

  it('explains that a pty has no DTR/RTS/BREAK, and auto-detects a rate on a talking device', async () => {
    const device = openPtyPeer(pair.b);
    const opened = await harness.client.call('serial.open', { path: pair.a, settings: { baudRate: 9600 } });
    const talking = setInterval(() => void device.write('gw-17 heartbeat ok\r\n'), 20);
    try {
      await expect(harness.client.call('serial.setSignals', { sessionId: opened.id, dtr: false })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('no modem control lines') });
      await expect(harness.client.call('serial.sendBreak', { sessionId: opened.id })).rejects.toMatchObject({ code: 'unavailable' });
      const verdict = await harness.client.call('serial.detectBaud', { sessionId: opened.id, sampleMs: 100 });
      expect(verdict.scores.length).toBeGreaterThan(1);
      expect(verdict.scores.every((s) => s.ratio === 1 || s.bytes === 0)).toBe(true);
      expect(verdict.baudRate).not.toBeNull();
      expect(verdict.status.settings.baudRate).toBe(verdict.baudRate);
    } finally {
      clearInterval(talking);
      await device.close();
      await harness.client.call('serial.close', { sessionId: opened.id });
    }
  });

  it('explains a missing port, a busy port and a relative export path, refuses bad settings, takes a custom rate and new framing', async () => {
    await expect(harness.client.call('serial.open', { path: join(scratch, 'no-such-tty') })).rejects.toMatchObject({ code: 'not_found', hint: expect.stringContaining('cable') });
    await expect(harness.client.call('serial.open', { path: pair.a, settings: { baudRate: -5 } })).rejects.toMatchObject({ code: 'bad_request' });
    const opened = await harness.client.call('serial.open', { path: pair.a });
    await expect(harness.client.call('serial.export', { sessionId: opened.id, format: 'raw', path: 'relative.bin' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(harness.client.call('serial.open', { path: pair.a })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('port busy') });
    expect((await harness.client.call('serial.configure', { sessionId: opened.id, settings: { baudRate: 250000 } })).settings.baudRate).toBe(250000);
    const reframed = await harness.client.call('serial.configure', { sessionId: opened.id, settings: { dataBits: 7, parity: 'even', stopBits: 2 } });
    expect(reframed.settings).toMatchObject({ baudRate: 250000, dataBits: 7, parity: 'even', stopBits: 2 });
    await harness.client.call('serial.close', { sessionId: opened.id });
  });

  it('sends a file with YMODEM to lrzsz rb, with progress, and refuses typed input meanwhile', async () => {
    const file = join(scratch, 'firmware.bin');
    const data = Buffer.alloc(5000, 0).map((_, i) => (i * 31) & 0xff);
    await writeFile(file, data);
    const inbox = await mkdtemp(join(scratch, 'inbox-'));
    const opened = await harness.client.call('serial.open', { path: pair.a });
    const rb = startReceiver(pair.b, inbox, ['rb', '-b', '-q']);
    try {
      const events: StreamEvent<'serial.sendFile'>[] = [];
      const ended = new Promise<FieldkitError | undefined>((resolve) => {
        harness.client.subscribe('serial.sendFile', { sessionId: opened.id, protocol: 'ymodem', paths: [file] }, { next: (e) => events.push(e), end: resolve });
      });
      await until(() => events.length > 0, 'first progress event');
      await expect(harness.client.call('serial.write', { sessionId: opened.id, data: b64('x') })).rejects.toMatchObject({ code: 'conflict' });
      expect(await ended).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: 'done', ok: true, totalSent: 5000, totalSize: 5000, fileName: 'firmware.bin' });
      expect((await rb.done).code).toBe(0);
      expect(await readFile(join(inbox, 'firmware.bin'))).toEqual(data);
    } finally {
      rb.kill();
      await harness.client.call('serial.close', { sessionId: opened.id });
    }
  });

  it('cancels a transfer when the stream is dropped: CAN goes to the receiver and the line is free again', async () => {
    const file = join(scratch, 'cancelled.bin');
    await writeFile(file, Buffer.alloc(2048, 0x55));
    const receiver = openPtyPeer(pair.b);
    const opened = await harness.client.call('serial.open', { path: pair.a });
    const console1 = attach(harness, opened.id, false);
    try {
      const stop = harness.client.subscribe('serial.sendFile', { sessionId: opened.id, protocol: 'xmodem', paths: [file] }, { next: () => {} });
      await until(() => console1.status()?.transferring, 'the transfer to start');
      stop();
      await until(() => receiver.received().includes('\x18'.repeat(8)), 'the CAN sequence at the receiver');
      await until(() => console1.status()?.transferring === false, 'the line to be free');
      await harness.client.call('serial.write', { sessionId: opened.id, data: b64('ok\r') });
      await receiver.waitFor(/ok\r$/);
    } finally {
      console1.stop();
      await receiver.close();
      await harness.client.call('serial.close', { sessionId: opened.id });
    }
  });

  it('shows an unplug and the reconnect in the status, and keeps counting the session as one connection', async () => {
    const own = await startPtyPair();
    const opened = await harness.client.call('serial.open', { path: own.a });
    const console1 = attach(harness, opened.id, false);
    try {
      await own.unplug();
      await until(() => console1.status()?.state === 'reconnecting', 'the reconnecting state', 20_000);
      expect(harness.backend.connections.count).toBe(1);
      await own.restart();
      await until(() => console1.status()?.state === 'open' && console1.status(), 'the session to come back', 20_000);
      expect(console1.status()).toMatchObject({ reconnects: 1, path: own.a });
      const shell = startEchoShell(own.b);
      await harness.client.call('serial.write', { sessionId: opened.id, data: b64('after\r') });
      await until(() => console1.text().includes('you said: after'), 'the echo after the replug');
      await shell.close();
    } finally {
      console1.stop();
      await harness.client.call('serial.close', { sessionId: opened.id });
      await own.stop();
    }
  });

  it('runs two consoles at once, each with its own bytes, status and connection', async () => {
    const other = await startPtyPair();
    const shells = [startEchoShell(pair.b), startEchoShell(other.b)];
    const [first, second] = await Promise.all([pair.a, other.a].map((path) => harness.client.call('serial.open', { path })));
    const consoles = [attach(harness, first!.id, false), attach(harness, second!.id, false)];
    try {
      expect(harness.backend.connections.count).toBe(2);
      await harness.client.call('serial.write', { sessionId: first!.id, data: b64('one\r') });
      await harness.client.call('serial.write', { sessionId: second!.id, data: b64('two\r') });
      await until(() => consoles.every((c) => c.text().endsWith('# ')), 'both echoes and prompts');
      expect(consoles[0]!.text()).toBe('one\r\nyou said: one\r\n# ');
      expect(consoles[1]!.text()).toBe('two\r\nyou said: two\r\n# ');
    } finally {
      consoles.forEach((c) => c.stop());
      await Promise.all([first, second].map((s) => harness.client.call('serial.close', { sessionId: s!.id })));
      await Promise.all(shells.map((shell) => shell.close()));
      await other.stop();
    }
    expect(harness.backend.connections.count).toBe(0);
  });

  it('lets a pretend shell echo what is typed', async () => {
    const opened = await harness.client.call('serial.open', { path: pair.a });
    const console1 = attach(harness, opened.id, false);
    const shell = startEchoShell(pair.b);
    try {
      await harness.client.call('serial.write', { sessionId: opened.id, data: b64('help\r') });
      await until(() => console1.text().includes('you said: help'), 'the echo');
    } finally {
      console1.stop();
      await harness.client.call('serial.close', { sessionId: opened.id });
      await shell.close();
    }
  });
});
