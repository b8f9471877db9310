import { createServer, type Socket } from 'node:net';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { FieldkitError } from '../../../shared/contract/errors.js';

export interface PodPortForward {
  localPort: number;
  close(): Promise<void>;
}

export interface PortForwardRequest {
  namespace: string;
  pod: string;
  remotePort: number;
  /** 0: any free port. */
  localPort: number;
  /** The number of open connections changed. */
  onConnections?: (open: number) => void;
}

/**
 * Listens on 127.0.0.1 and carries each accepted connection to the pod port over its own port-forward WebSocket
 * (client-node's PortForward: data on channel 0, errors on channel 1, which closes that connection).
 */
export async function forwardPodPort(kc: KubeConfig, request: PortForwardRequest): Promise<PodPortForward> {
  const sockets = new Set<Socket>();
  const changed = () => request.onConnections?.(sockets.size);
  const server = createServer((socket) => {
    sockets.add(socket);
    changed();
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      sockets.delete(socket);
      changed();
    });
    new PortForward(kc).portForward(request.namespace, request.pod, [request.remotePort], socket, null, socket).then(
      (ws) => {
        if (typeof ws === 'function') return;
        if (socket.destroyed) return ws.close();
        ws.on('close', () => socket.destroy());
        ws.on('error', () => socket.destroy());
        socket.once('close', () => ws.close());
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new FieldkitError(error.code === 'EADDRINUSE' ? 'conflict' : 'failed', `Cannot listen on 127.0.0.1:${request.localPort}: ${error.code ?? error.message}.`, 'Pick another local port, or 0 for any free one.')),
    );
    server.listen(request.localPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  let closing: Promise<void> | undefined;
  return {
    localPort: typeof address === 'object' && address ? address.port : request.localPort,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      })),
  };
}
