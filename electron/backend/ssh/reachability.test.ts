import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/harness/sshd.js';
import { probeSsh } from './reachability.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('probeSsh', () => {
  it('reads the identification line of an SSH server, split across packets', async () => {
    const port = await serve((socket) => {
      socket.write('SSH-2.0-Open');
      setTimeout(() => socket.write('SSH_9.2\r\n'), 20);
    });
    expect(await probeSsh('127.0.0.1', port)).toMatchObject({ reachable: true, banner: 'SSH-2.0-OpenSSH_9.2', error: null, latencyMs: expect.any(Number) });
  });

  it('tells a port that answers something else apart from one that is closed', async () => {
    const http = await serve((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(await probeSsh('127.0.0.1', http)).toMatchObject({ reachable: true, banner: null, error: 'answers, but not with SSH' });
    expect(await probeSsh('127.0.0.1', await freePort())).toMatchObject({ reachable: false, latencyMs: null, error: 'ECONNREFUSED' });
  });

  it('gives up on a silent server after the timeout, saying it connected', async () => {
    const port = await serve(() => {});
    expect(await probeSsh('127.0.0.1', port, 200)).toMatchObject({ reachable: true, banner: null, error: 'connected, but no SSH banner' });
  });
});
