import { get } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../shared/contract/index.js';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import type { KubeApiServer } from '../../harness/kube-api/index.js';
import type { Harness } from '../../contract/transports.js';
import { startInspectEnv, type InspectEnv } from './inspect-env.js';

let env: InspectEnv;
let api: KubeApiServer;
let harness: Harness;
let contextId: string;

beforeAll(async () => void ({ api, harness, contextId } = env = await startInspectEnv({ seed: 'demo' })));
afterAll(() => env?.close());

/** An exec stream as a terminal sees it: the session id, the output so far, the exit. */
function openExec(pod: { namespace: string; pod: string }, command?: string[]) {
  const session = { execId: '', output: '', exit: undefined as StreamEvent<'cluster.exec'> | undefined, error: undefined as FieldkitError | undefined, ended: false };
  const stop = harness.client.subscribe('cluster.exec', { contextId, ...pod, ...(command && { command }), cols: 80, rows: 24 }, {
    next: (event) => {
      if (event.type === 'opened') session.execId = event.execId;
      else if (event.type === 'data') session.output += Buffer.from(event.data, 'base64').toString();
      else session.exit = event;
    },
    end: (error) => Object.assign(session, { ended: true, error }),
  });
  const write = (text: string) => harness.client.call('cluster.execWrite', { execId: session.execId, data: Buffer.from(text).toString('base64') });
  return { session, stop, write };
}

const httpGet = (port: number) =>
  new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

describe('cluster.exec', () => {
  it('runs a shell in a container on a TTY: keystrokes in, output out, exit code', async () => {
    const { session, write } = openExec({ namespace: 'default', pod: 'debug-shell' });
    await expect.poll(() => session.execId, { timeout: 15_000 }).not.toBe('');
    expect(harness.backend.connections.count).toBe(1);
    await write('echo "six times seven is $((6*7))"\n');
    await expect.poll(() => session.output, { timeout: 10_000 }).toContain('six times seven is 42');
    // The test server ignores the resize channel, so only the call's acceptance is checked here.
    await harness.client.call('cluster.execResize', { execId: session.execId, cols: 132, rows: 43 });
    await write('exit 3\n');
    await expect.poll(() => session.exit, { timeout: 10_000 }).toEqual({ type: 'exit', code: 3 });
    await expect.poll(() => session.ended).toBe(true);
    expect(harness.backend.connections.count).toBe(0);
    await expect(write('echo late\n')).rejects.toMatchObject({ code: 'not_found', hint: 'Open a new shell.' });
  });

  it('runs a command and reports a missing pod or container plainly', async () => {
    const done = openExec({ namespace: 'default', pod: 'debug-shell' }, ['sh', '-c', 'echo one-shot; exit 0']);
    await expect.poll(() => done.session.exit, { timeout: 15_000 }).toEqual({ type: 'exit', code: 0 });
    expect(done.session.output).toContain('one-shot');
    const missing = openExec({ namespace: 'default', pod: 'no-such-pod' });
    await expect.poll(() => missing.session.ended, { timeout: 10_000 }).toBe(true);
    expect(missing.session.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('Pod default/no-such-pod was not found') });
  });
});

describe('cluster.portForward', () => {
  it('listens on 127.0.0.1 and carries connections to the pod port until unsubscribed', async () => {
    const pod = api.store.list('pods', { namespace: 'iot-edge' }).items.find((p) => p.metadata.name.startsWith('mqtt-bridge-'))!.metadata.name;
    const events: StreamEvent<'cluster.portForward'>[] = [];
    const stop = harness.client.subscribe('cluster.portForward', { contextId, namespace: 'iot-edge', pod, remotePort: 1883 }, { next: (event) => events.push(event) });
    await expect.poll(() => events[0], { timeout: 15_000 }).toMatchObject({ type: 'listening' });
    const localPort = (events[0] as { localPort: number }).localPort;
    expect(harness.backend.connections.count).toBe(1);
    expect(await httpGet(localPort)).toBe(`hello from iot-edge/${pod}:1883\n`);
    expect(await httpGet(localPort)).toBe(`hello from iot-edge/${pod}:1883\n`);
    const open = () => events.filter((e) => e.type === 'connection').map((e) => (e as { open: number }).open);
    await expect.poll(() => open().at(-1)).toBe(0);
    expect(open().filter((n, i, all) => n > (all[i - 1] ?? 0))).toHaveLength(2);
    stop();
    await expect
      .poll(
        () =>
          new Promise<string>((resolve) => {
            const socket = connect(localPort, '127.0.0.1');
            socket.once('connect', () => (socket.destroy(), resolve('open')));
            socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          }),
      )
      .toBe('ECONNREFUSED');
    expect(harness.backend.connections.count).toBe(0);
  });
});
