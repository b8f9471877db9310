/**
 * A Kubernetes API test server faithful enough for the real kubectl and @kubernetes/client-node: HTTPS with its own
 * CA, client-certificate and bearer auth, discovery, list/watch with resourceVersions, bookmarks and 410 Gone,
 * Tables, pods/log, patch, eviction, exec/port-forward over WebSocket, and K3s's /cacerts and node-password check.
 */
import { constants, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClusterCerts } from './certs.js';
import { attachStreaming, PortTargets } from './streaming.js';
import { secureJoinToken, setNodePassword } from './k3s.js';
import { KubeStore } from './kube-store.js';
import { certKubeconfig, tokenKubeconfig } from './kubeconfig.js';
import { Router } from './router.js';
import { seedStore, type Seed } from './seed.js';

export { KubeStore } from './kube-store.js';
export { PortTargets } from './streaming.js';
export { DEMO, type Seed } from './seed.js';
export { nodePasswordHash, nodePasswordSecretName, NODE_PASSWORD_REJECTED, verifyNodePasswordHash } from './k3s.js';
export type { KubeObject, Node, Pod } from './types.js';

export interface KubeApiServer {
  url: string;
  /** A kubeconfig like K3s's own k3s.yaml: cluster/context/user all named `default`, CA data + client cert/key data. */
  kubeconfigPath: string;
  /** The same cluster with a bearer token user. */
  tokenKubeconfigPath: string;
  caPem: string;
  /** The K3s secure join token `K10<sha256 hex of the /cacerts body>::server:<password>`. */
  joinToken: string;
  store: KubeStore;
  /** Where port-forwards to a pod's port connect (default: an HTTP responder answering `hello from <ns>/<pod>:<port>`). */
  ports: PortTargets;
  /** Close every open watch connection (clients must resume). */
  dropWatches(): void;
  /** Make resourceVersions older than now answer 410 Gone on watch (clients must re-list). */
  compact(): void;
  /** Refuse connections (simulate the network going away) until `resume()`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface KubeApiServerOptions {
  seed?: Seed;
  /** Port on 127.0.0.1 (default: any free one). */
  port?: number;
  /** How often watches that allow bookmarks get one (default 1 s; the real server sends one about every minute). */
  bookmarkIntervalMs?: number;
  /** How long a newly registered node stays NotReady, and an API-created pod ContainerCreating (default 500 ms). */
  nodeReadyDelayMs?: number;
  /** How long a deleted pod shows Terminating before it is gone (default 0: removed at once). */
  podTerminationMs?: number;
  /** Where the certs and kubeconfigs go (default a new temp dir, removed by `stop()`). */
  dir?: string;
}

export async function startKubeApiServer(opts: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'kube-api-')));
  const ownsDir = !opts.dir;
  const certs = await makeClusterCerts(dir);
  const caPem = certs.ca.certPem;
  const joinToken = secureJoinToken(caPem, randomBytes(16).toString('hex'));
  const adminToken = `fieldkit-test-${randomBytes(24).toString('hex')}`;
  const store = new KubeStore();
  seedStore(store, opts.seed ?? 'demo');
  store.workloads.start();

  const watches = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const router = new Router({
    store,
    credentials: { adminToken, joinToken, store },
    caBundle: caPem,
    serverAddress: '127.0.0.1:6443',
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 1000,
    nodeReadyDelayMs: opts.nodeReadyDelayMs ?? 500,
    podTerminationMs: opts.podTerminationMs ?? 0,
    issueNodeCert: (node) => certs.issueClient(`node-${node}`, `system:node:${node}`, 'system:nodes'),
    onWatch: (res) => {
      watches.add(res);
      return () => watches.delete(res);
    },
  });
  // No TLS session resumption: a client that resumed another identity's session would be served as that identity.
  const tlsOptions = { key: certs.server.keyPem, cert: certs.server.certPem, ca: caPem, requestCert: true, rejectUnauthorized: false, secureOptions: constants.SSL_OP_NO_TICKET };
  const server: Server = createServer(tlsOptions, (req, res) => {
    void router.handle(req, res);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  server.on('resumeSession', (_id: Buffer, callback: (err: Error | null, data: Buffer | null) => void) => callback(null, null));
  const ports = new PortTargets();
  attachStreaming(server, { store, credentials: { adminToken, joinToken }, dir, ports });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  const port = await listen(opts.port ?? 0);
  const url = `https://127.0.0.1:${port}`;
  const kubeconfigPath = join(dir, 'k3s.yaml');
  const tokenKubeconfigPath = join(dir, 'token.yaml');
  await writeFile(kubeconfigPath, certKubeconfig(url, caPem, certs.admin.certPem, certs.admin.keyPem), { mode: 0o600 });
  await writeFile(tokenKubeconfigPath, tokenKubeconfig(url, caPem, adminToken), { mode: 0o600 });
  let paused = false;
  let stopped = false;

  return {
    url,
    kubeconfigPath,
    tokenKubeconfigPath,
    caPem,
    joinToken,
    store,
    ports,
    dropWatches() {
      for (const res of watches) res.socket?.destroy();
      watches.clear();
    },
    compact: () => store.compact(),
    async pause() {
      if (paused || stopped) return;
      paused = true;
      await close();
    },
    async resume() {
      if (!paused || stopped) return;
      paused = false;
      await listen(port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      store.workloads.stop();
      if (!paused) await close();
      await ports.close();
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Re-exported for tests that need to simulate a re-flashed gateway (a node-password secret with another password). */
export { setNodePassword };
