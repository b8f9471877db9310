import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { bridgePort } from '../../shared/contract/bridge.js';
import { createClient, type FieldkitClient } from '../../shared/contract/client.js';
import type { ClientMessage, ServerMessage } from '../../shared/contract/protocol.js';
import { webSocketPort } from '../../shared/contract/ws-port.js';
import { createBackend, type Backend } from '../../electron/backend/backend.js';
import { wireIpc, type IpcEventLike, type SenderLike } from '../../electron/main/ipc-bridge.js';
import { createBridge } from '../../electron/preload/bridge.js';
import { startWebServer, type WebServer } from '../../electron/server/web-server.js';

/** One backend reached through one transport, as a test sees it. */
export interface Harness {
  client: FieldkitClient;
  backend: Backend;
  dataDir: string;
  /** Sends a message exactly as given, bypassing the typed client (for malformed input). */
  sendRaw(message: unknown): void;
  /** Every message the backend sent back. */
  received: ServerMessage[];
  close(): Promise<void>;
}

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fieldkit-test-'));
}

/** A backend behind the real WebSocket server, on a fresh temp data dir or on `existingDataDir` (left in place on close). */
export async function overWebSocket(existingDataDir?: string): Promise<Harness & { server: WebServer }> {
  const dataDir = existingDataDir ?? (await tempDataDir());
  const backend = await createBackend({ dataDir, version: 'test' });
  const server = await startWebServer({ router: backend.router, staticDir: join(dataDir, 'no-renderer') });
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  const received: ServerMessage[] = [];
  const port = webSocketPort(socket);
  port.onMessage((message) => received.push(message));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    client: createClient(port),
    backend,
    dataDir,
    server,
    received,
    sendRaw: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async close() {
      socket.close();
      await server.close();
      await backend.close();
      if (!existingDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Electron IPC without Electron: an in-memory ipcMain/ipcRenderer pair carrying structured clones, driven by
 * the real preload bridge on one side and the real main-process wiring on the other.
 */
export async function overInMemoryIpc(frameUrl = 'app://fieldkit/index.html'): Promise<Harness> {
  const dataDir = await tempDataDir();
  const backend = await createBackend({ dataDir, version: 'test' });
  const ipcMain = new EventEmitter();
  const ipcRenderer = new EventEmitter();
  const received: ServerMessage[] = [];
  const lifetime = new EventEmitter();
  const sender: SenderLike = {
    id: 1,
    send: (channel, message) => queueMicrotask(() => ipcRenderer.emit(channel, {}, structuredClone(message))),
    isDestroyed: () => false,
    once: (event, listener) => lifetime.once(event, listener),
  };
  wireIpc(ipcMain, backend.router, (url) => url.startsWith('app://fieldkit/'));
  const event: IpcEventLike = { sender, senderFrame: { url: frameUrl } };
  const bridge = createBridge({
    send: (channel: string, message: ClientMessage) => queueMicrotask(() => ipcMain.emit(channel, event, structuredClone(message))),
    on: (channel, listener) => ipcRenderer.on(channel, listener),
    removeListener: (channel, listener) => ipcRenderer.removeListener(channel, listener),
  });
  bridge.onMessage((message) => received.push(message));
  return {
    client: createClient(bridgePort(bridge)),
    backend,
    dataDir,
    received,
    sendRaw: (message) => queueMicrotask(() => ipcMain.emit('fieldkit:message', event, message)),
    async close() {
      lifetime.emit('destroyed');
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
