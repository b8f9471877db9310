/**
 * exec and port-forward over WebSocket (`v5.channel.k8s.io` / `v4.channel.k8s.io`), as kubectl ≥1.30 and
 * client-node speak them. Each message is one channel byte then data: 0 stdin, 1 stdout, 2 stderr, 3 status,
 * 4 resize; v5 adds 255 (close a channel). exec runs the command on this machine, as `nobody` when the server runs
 * as root, in a per-container working directory (a TTY comes from pty_exec.py); port-forward connects to a target set with `PortTargets.set` or, by default, to a
 * small HTTP responder that names the pod and port.
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { Server } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, authorize, type Credentials } from './auth.js';
import type { KubeStore } from './kube-store.js';
import { parseResourcePath } from './router.js';
import { badRequest, KubeError } from './status.js';

const TTY_HELPER = fileURLToPath(new URL('./pty_exec.py', import.meta.url));
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface StreamingOptions {
  store: KubeStore;
  credentials: Credentials;
  /** Per-pod working directories for exec live under here. */
  dir: string;
  ports: PortTargets;
}

/** Where port-forwards to a pod port go; unset ports get a built-in HTTP responder. */
export class PortTargets {
  private readonly targets = new Map<string, { host: string; port: number }>();
  private readonly responders = new Map<string, HttpServer>();

  set(namespace: string, pod: string, port: number, target: { host: string; port: number }): void {
    this.targets.set(`${namespace}/${pod}:${port}`, target);
  }

  async resolve(namespace: string, pod: string, port: number): Promise<{ host: string; port: number }> {
    const key = `${namespace}/${pod}:${port}`;
    const target = this.targets.get(key);
    if (target) return target;
    let responder = this.responders.get(key);
    if (!responder) {
      const server = createHttpServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`hello from ${key}\n`);
      });
      responder = server;
      this.responders.set(key, server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    }
    return { host: '127.0.0.1', port: (responder.address() as AddressInfo).port };
  }

  async close(): Promise<void> {
    await Promise.all([...this.responders.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.responders.clear();
  }
}

function frame(channel: number, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]);
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  const exit = code ?? 128 + 9;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exit}${signal ? ` (${signal})` : ''}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exit) }] },
  };
}

/** Exec'd commands never run as root: under root they drop to `nobody` with setpriv. */
const UNPRIVILEGED = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') ? 65534 : undefined;

function findExecutable(command: string, path: string): string | undefined {
  const candidates = command.includes('/') ? [command] : path.split(':').map((d) => join(d, command));
  return candidates.find((c) => {
    try {
      accessSync(c, constants.X_OK);
      return statSync(c).isFile();
    } catch {
      return false;
    }
  });
}

function workingDir(dir: string, namespace: string, pod: string, container: string): string {
  const cwd = join(dir, 'pods', `${namespace}_${pod}_${container}`);
  mkdirSync(cwd, { recursive: true });
  if (UNPRIVILEGED !== undefined) {
    // Traversable but not listable: the certificate keys in `dir` stay 0600 root.
    chmodSync(dir, 0o711);
    chmodSync(join(dir, 'pods'), 0o711);
    chownSync(cwd, UNPRIVILEGED, UNPRIVILEGED);
  }
  return cwd;
}

function runExec(ws: WebSocket, q: URLSearchParams, namespace: string, pod: string, container: string, dir: string): void {
  const command = q.getAll('command');
  const tty = q.get('tty') === 'true' || q.get('tty') === '1';
  const cwd = workingDir(dir, namespace, pod, container);
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: cwd, HOSTNAME: pod, TERM: tty ? 'xterm-256color' : 'dumb', KUBERNETES_SERVICE_HOST: '10.43.0.1' };
  let finished = false;
  const finish = (status: Record<string, unknown>) => {
    if (finished) return;
    finished = true;
    if (ws.readyState === ws.OPEN) {
      ws.send(frame(STATUS, JSON.stringify(status)));
      ws.close(1000);
    }
  };
  if (!findExecutable(command[0], env.PATH)) {
    finish({
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown`,
      reason: 'InternalError',
      details: { causes: [{ message: `exec: "${command[0]}": executable file not found in $PATH` }] },
      code: 500,
    });
    return;
  }
  // pty_exec.py gives the command a real pseudo-terminal (shells prompt and echo as with -t) and applies resizes.
  const argv = tty ? ['/usr/bin/python3', '-I', '-B', TTY_HELPER, ...command] : command;
  const drop = UNPRIVILEGED !== undefined ? ['/usr/bin/setpriv', `--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups'] : [];
  const [file, ...args] = [...drop, ...argv];
  const child = spawn(file, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe', tty ? 'pipe' : 'ignore'] });
  const resizes = child.stdio[3] as Writable | null | undefined;
  resizes?.on('error', () => undefined);
  child.stdout?.on('data', (d: Buffer) => ws.readyState === ws.OPEN && ws.send(frame(STDOUT, d)));
  child.stderr?.on('data', (d: Buffer) => ws.readyState === ws.OPEN && ws.send(frame(tty ? STDOUT : STDERR, d)));
  child.stdin?.on('error', () => undefined);
  child.on('error', (err) => finish({ metadata: {}, status: 'Failure', message: `Internal error occurred: ${err.message}`, reason: 'InternalError', code: 500 }));
  child.on('close', (code, signal) => finish(exitStatus(code, signal, command)));
  ws.on('message', (raw: Buffer) => {
    const channel = raw[0];
    const data = raw.subarray(1);
    if (channel === STDIN) child.stdin?.write(data);
    else if (channel === CLOSE && data[0] === STDIN) child.stdin?.end();
    else if (channel === RESIZE) resizes?.write(`${data.toString('utf8').trim()}\n`);
  });
  ws.on('close', () => {
    if (!finished && child.exitCode === null) child.kill('SIGKILL');
  });
}

async function runPortForward(ws: WebSocket, q: URLSearchParams, namespace: string, pod: string, ports: PortTargets): Promise<void> {
  const port = Number(q.get('ports'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`invalid port: ${q.get('ports')}`);
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16LE(port);
  ws.send(frame(0, portBytes));
  ws.send(frame(1, portBytes));
  const target = await ports.resolve(namespace, pod, port);
  const socket: Socket = connect(target.port, target.host);
  socket.on('data', (d: Buffer) => ws.readyState === ws.OPEN && ws.send(frame(0, d)));
  socket.on('error', (err) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(1, `error forwarding port ${port} to pod ${pod}: ${err.message}`));
    ws.close(1000);
  });
  socket.on('close', () => ws.readyState === ws.OPEN && ws.close(1000));
  ws.on('message', (raw: Buffer) => {
    if (raw[0] === 0 && raw.length > 1) socket.write(raw.subarray(1));
  });
  ws.on('close', () => socket.destroy());
}

export function attachStreaming(server: Server, opts: StreamingOptions): void {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });
  server.on('upgrade', (req, socket, head) => {
    const refuse = (err: unknown) => {
      const e = err instanceof KubeError ? err : new KubeError(500, 'InternalError', String(err));
      const body = JSON.stringify(e.toStatus());
      socket.end(`HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    try {
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw badRequest(`this test server streams over WebSocket only, not ${req.headers.upgrade ?? 'an unnamed upgrade'}`);
      const id = authenticate(req, opts.credentials);
      if (!id) throw new KubeError(401, 'Unauthorized', 'Unauthorized');
      const url = new URL(req.url ?? '/', 'https://localhost');
      const target = parseResourcePath(url.pathname);
      if (!target || target.resource.plural !== 'pods' || !target.name || (target.subresource !== 'exec' && target.subresource !== 'portforward')) {
        throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
      }
      const namespace = target.namespace ?? 'default';
      authorize(id, 'create', `pods/${target.subresource}`, '', namespace, target.name);
      const pod = opts.store.pod(namespace, target.name);
      const container = target.subresource === 'exec' ? opts.store.containerOf(namespace, target.name, url.searchParams.get('container')) : '';
      if (target.subresource === 'exec') {
        if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') throw badRequest(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
        const state = pod.status.containerStatuses?.find((c) => c.name === container)?.state;
        if (!state?.running) throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
        if (!url.searchParams.getAll('command').length) throw badRequest('you must specify at least 1 command');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (target.subresource === 'exec') runExec(ws, url.searchParams, namespace, target.name ?? '', container, opts.dir);
        else
          runPortForward(ws, url.searchParams, namespace, target.name ?? '', opts.ports).catch((err: unknown) => {
            ws.send(frame(1, err instanceof Error ? err.message : String(err)));
            ws.close(1000);
          });
      });
    } catch (err) {
      refuse(err);
    }
  });
}
