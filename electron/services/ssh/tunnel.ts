import { createServer, type Socket } from 'node:net';
import type { Client as SshClient } from 'ssh2';

export interface LocalForwardOptions {
  remoteHost: string;
  remotePort: number;
  localHost?: string;
  /** 0 or absent: any free port. */
  localPort?: number;
}

export interface LocalForward {
  localHost: string;
  localPort: number;
  close(): Promise<void>;
}

/**
 * Listens locally and opens one direct-tcpip channel per accepted socket through whatever client `resolveClient`
 * returns at that moment, so a forward held by a reconnecting connection survives the reconnect.
 */
export function openLocalForward(
  resolveClient: () => Promise<SshClient>,
  opts: LocalForwardOptions,
): Promise<LocalForward> {
  const localHost = opts.localHost ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    resolveClient().then(
      (client) =>
        client.forwardOut(
          socket.remoteAddress ?? '127.0.0.1',
          socket.remotePort ?? 0,
          opts.remoteHost,
          opts.remotePort,
          (err, channel) => {
            if (err) return socket.destroy();
            socket.pipe(channel).pipe(socket);
            channel.once('close', () => socket.destroy());
            socket.once('close', () => channel.close());
          },
        ),
      () => socket.destroy(),
    );
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }));
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(new Error(`cannot listen on ${localHost}:${opts.localPort ?? 0}: ${e.message}`)),
    );
    server.listen(opts.localPort ?? 0, localHost, () => {
      const addr = server.address();
      resolve({ localHost, localPort: typeof addr === 'object' && addr ? addr.port : 0, close });
    });
  });
}
