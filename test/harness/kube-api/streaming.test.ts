import { Exec, KubeConfig, PortForward } from '@kubernetes/client-node';
import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './index.js';

/** A stdout that client-node treats as a terminal (it sends its size on the resize channel). */
class FakeTerminal extends PassThrough {
  columns = 132;
  rows = 43;
  text = '';
  constructor() {
    super();
    this.on('data', (d: Buffer) => (this.text += d.toString('utf8')));
  }
}

const until = (check: () => boolean, what: string) => expect.poll(check, { timeout: 10_000, interval: 25, message: what }).toBe(true);

describe('exec and port-forward over WebSocket with @kubernetes/client-node', () => {
  let api: KubeApiServer;
  let kc: KubeConfig;
  beforeAll(async () => {
    api = await startKubeApiServer({ seed: 'demo' });
    kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
  });
  afterAll(async () => {
    await api.stop();
  });

  it('runs a command and reports a non-zero exit as a Failure status', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString('utf8')));
    const status = await new Promise<{ status?: string; reason?: string; details?: { causes?: { message?: string }[] } }>((resolve) => {
      void new Exec(kc).exec('default', 'debug-shell', 'shell', ['sh', '-c', 'echo "in $HOSTNAME"; exit 4'], out, null, null, false, resolve);
    });
    expect(text).toBe('in debug-shell\n');
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ message: '4' }] } });
  });

  it('gives a TTY command a terminal of the size the client sends, and relays keystrokes', async () => {
    const terminal = new FakeTerminal();
    const stdin = new PassThrough();
    let done: { status?: string } | undefined;
    await new Exec(kc).exec('default', 'debug-shell', 'shell', ['/bin/sh'], terminal, null, stdin, true, (s) => (done = s));
    stdin.write('stty size; tty\n');
    await until(() => /\/dev\/pts\/\d+/.test(terminal.text), 'the tty name');
    expect(terminal.text).toMatch(/\b43 132\r\n/);
    stdin.write('exit 0\n');
    await until(() => done !== undefined, 'the exit status');
    expect(done).toMatchObject({ status: 'Success' });
  });

  it('forwards a pod port to the default responder, or to a target the test sets', async () => {
    const roundTrip = async (port: number, request: string) => {
      const out = new PassThrough();
      const input = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString('utf8')));
      const ws = await new PortForward(kc).portForward('iot-edge', 'sensor-ingest-0', [port], out, null, input);
      input.write(request);
      await until(() => text.length > 0 && (text.includes('\r\n\r\n') ? /\n$/.test(text) : text.length >= request.length), 'the forwarded reply');
      (ws as { close(): void }).close();
      return text;
    };
    const http = await roundTrip(7070, 'GET / HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n');
    expect(http).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(http).toContain('hello from iot-edge/sensor-ingest-0:7070');

    const echo: Server = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    api.ports.set('iot-edge', 'sensor-ingest-0', 9000, { host: '127.0.0.1', port: (echo.address() as { port: number }).port });
    expect(await roundTrip(9000, 'ping through the tunnel')).toBe('ping through the tunnel');
    await new Promise<void>((r) => echo.close(() => r()));
  });
});
