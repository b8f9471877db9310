import { connect } from 'node:net';

export interface Probe {
  reachable: boolean;
  latencyMs: number | null;
  banner: string | null;
  error: string | null;
}

const MAX_BANNER = 255;

/** Opens a TCP connection and reads the server's identification line; sends nothing. */
export function probeSsh(host: string, port: number, timeoutMs = 3000): Promise<Probe> {
  return new Promise((resolve) => {
    const started = performance.now();
    let latencyMs: number | null = null;
    let received = '';
    const socket = connect({ host, port });
    const finish = (probe: Probe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    const timer = setTimeout(
      () => finish(latencyMs === null ? { reachable: false, latencyMs, banner: null, error: `no answer within ${timeoutMs / 1000} s` } : { reachable: true, latencyMs, banner: null, error: 'connected, but no SSH banner' }),
      timeoutMs,
    );
    socket.once('connect', () => (latencyMs = Math.round(performance.now() - started)));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const eol = received.indexOf('\n');
      if (eol < 0 && received.length < MAX_BANNER) return;
      const line = received.slice(0, eol < 0 ? MAX_BANNER : eol).replace(/\r$/, '');
      finish(line.startsWith('SSH-') ? { reachable: true, latencyMs, banner: line, error: null } : { reachable: true, latencyMs, banner: null, error: 'answers, but not with SSH' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ reachable: false, latencyMs: null, banner: null, error: error.code ?? error.message }));
    socket.once('close', () => finish({ reachable: latencyMs !== null, latencyMs, banner: null, error: 'closed without an SSH banner' }));
  });
}
