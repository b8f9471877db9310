import { mkdir, readFile, writeFile } from 'node:fs/promises';
import WebSocket, { type ClientOptions } from 'ws';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { Settings } from '../../shared/contract/app.js';
import { overInMemoryIpc, overWebSocket, type Harness } from './transports.js';

const transports = [
  ['WebSocket (browser mode)', overWebSocket],
  ['in-memory Electron IPC', overInMemoryIpc],
] as const;

function nextEvents<T>(count: number): { events: T[]; done: Promise<T[]>; push(event: T): void } {
  const events: T[] = [];
  let resolve!: (events: T[]) => void;
  const done = new Promise<T[]>((r) => (resolve = r));
  return {
    events,
    done,
    push(event) {
      events.push(event);
      if (events.length === count) resolve(events);
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<FieldkitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldkitError);
  return error as FieldkitError;
}

describe.each(transports)('the contract over %s', (_name, open) => {
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('answers a request with its typed result', async () => {
    harness = await open();
    const info = await harness.client.call('app.info', {});
    expect(info).toMatchObject({ name: 'FieldKit', version: 'test', dataDir: harness.dataDir, platform: process.platform });
  });

  it('changes a setting, persists it and reads it back', async () => {
    harness = await open();
    expect(await harness.client.call('settings.get', {})).toEqual({ theme: 'system' });
    expect(await harness.client.call('settings.update', { theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(await harness.client.call('settings.get', {})).toEqual({ theme: 'dark' });
    expect(JSON.parse(await readFile(join(harness.dataDir, 'settings.json'), 'utf8'))).toEqual({ theme: 'dark' });
  });

  it('streams the current value, then each change, until unsubscribed', async () => {
    harness = await open();
    const seen = nextEvents<Settings>(3);
    const stop = harness.client.subscribe('settings.changes', {}, { next: seen.push });
    await harness.client.call('settings.update', { theme: 'light' });
    await harness.client.call('settings.update', { theme: 'dark' });
    expect(await seen.done).toEqual([{ theme: 'system' }, { theme: 'light' }, { theme: 'dark' }]);

    stop();
    await harness.client.call('settings.update', { theme: 'system' });
    await harness.client.call('app.info', {});
    expect(seen.events).toHaveLength(3);
  });

  it('streams the status bar figures, counting connections as they open and close', async () => {
    harness = await open();
    const events: { connections: number; indexBytes: number }[] = [];
    harness.client.subscribe('app.status', {}, { next: (event) => events.push(event) });
    await expect.poll(() => events.length).toBe(1);
    const close = harness.backend.connections.register('serial /dev/ttyUSB0');
    await expect.poll(() => events.length).toBe(2);
    close();
    await expect.poll(() => events.length).toBe(3);
    expect(events).toEqual([
      { connections: 0, indexBytes: 0 },
      { connections: 1, indexBytes: 0 },
      { connections: 0, indexBytes: 0 },
    ]);
  });

  it('rejects a bad payload with a clear error and keeps serving', async () => {
    harness = await open();
    const wrongType = await rejection(harness.client.call('settings.update', { theme: 'purple' } as never));
    expect(wrongType.code).toBe('bad_request');
    expect(wrongType.message).toMatch(/Invalid input for settings\.update/);
    expect(wrongType.message).toMatch(/theme/);

    const extraKey = await rejection(harness.client.call('settings.update', { theme: 'dark', evil: true } as never));
    expect(extraKey.code).toBe('bad_request');
    expect(await harness.client.call('settings.get', {})).toEqual({ theme: 'system' });
  });

  it('names an unknown method or stream instead of failing silently', async () => {
    harness = await open();
    const error = await rejection(harness.client.call('no.such.method' as never, {} as never));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('no.such.method');

    const ended = new Promise<FieldkitError | undefined>((resolve) => {
      harness.client.subscribe('app.info' as never, {} as never, { next: () => {}, end: resolve });
    });
    expect((await ended)?.code).toBe('not_found');
  });

  it('ends a stream whose input is invalid, saying why', async () => {
    harness = await open();
    const ended = new Promise<FieldkitError | undefined>((resolve) => {
      harness.client.subscribe('settings.changes', { verbose: true } as never, { next: () => {}, end: resolve });
    });
    expect(await ended).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/Invalid input for settings\.changes/) });
    expect(await harness.client.call('settings.get', {})).toEqual({ theme: 'system' });
  });

  it('answers malformed messages with an error, never a crash', async () => {
    harness = await open();
    const before = harness.received.length;
    harness.sendRaw({ type: 'call', id: -1, name: 'app.info', input: {} });
    harness.sendRaw({ type: 'teleport', id: 7 });
    harness.sendRaw(null);
    harness.sendRaw({ type: 'call', id: 8, name: 'x'.repeat(500), input: {} });
    await expect.poll(() => harness.received.length - before).toBe(4);
    const errors = harness.received.slice(before);
    expect(errors.every((m) => m.type === 'error' && m.error.code === 'bad_request')).toBe(true);
    expect(errors.map((m) => m.type === 'error' && m.id)).toEqual([null, 7, null, 8]);
    expect((await harness.client.call('app.info', {})).name).toBe('FieldKit');
  });
});

describe('the WebSocket transport', () => {
  it('turns away a wrong token, a foreign Origin and a foreign Host', async () => {
    const harness = await overWebSocket();
    const { port, token } = harness.server;
    const origin = `http://127.0.0.1:${port}`;
    const attempt = (query: string, options: ClientOptions) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${query}`, options);
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => reject(new Error('admitted')));
        socket.once('error', () => {});
      });
    try {
      expect(await attempt('wrong', { origin })).toBe(403);
      expect(await attempt(token, { origin: 'http://evil.example' })).toBe(403);
      expect(await attempt(token, { origin, headers: { Host: `rebound.example:${port}` } })).toBe(403);
    } finally {
      await harness.close();
    }
  });

  it('serves the renderer with the CSP and nothing outside it', async () => {
    const harness = await overWebSocket();
    const base = `http://127.0.0.1:${harness.server.port}`;
    try {
      await mkdir(join(harness.dataDir, 'no-renderer'));
      await writeFile(join(harness.dataDir, 'no-renderer', 'index.html'), '<p>FieldKit</p>');
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toBe('<p>FieldKit</p>');
      expect((await fetch(`${base}/..%2fsettings.json`)).status).toBe(404);
      expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
    } finally {
      await harness.close();
    }
  });
});

describe('the in-memory IPC transport', () => {
  it('ignores messages from a frame that is not FieldKit’s page', async () => {
    const harness = await overInMemoryIpc('https://evil.example/');
    try {
      harness.sendRaw({ type: 'call', id: 1, name: 'app.info', input: {} });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(harness.received).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
