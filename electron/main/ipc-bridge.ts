import { IPC_CHANNEL } from '../../shared/contract/bridge.js';
import type { ServerMessage } from '../../shared/contract/protocol.js';
import type { Connection, Router } from '../backend/router.js';

/** The slices of Electron's ipcMain and WebContents the wiring needs (so tests can stand in for them). */
export interface SenderLike {
  id: number;
  send(channel: string, message: ServerMessage): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}
export interface IpcEventLike {
  sender: SenderLike;
  senderFrame: { url: string } | null;
}
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, message: unknown) => void): unknown;
}

/**
 * Connects each window to the backend through one channel. Messages from frames that are not FieldKit's own
 * page are dropped; payloads are schema-checked by the router like any other transport's.
 */
export function wireIpc(ipc: IpcMainLike, router: Router, isTrustedFrame: (url: string) => boolean): { reset(senderId: number): void } {
  const connections = new Map<number, Connection>();
  const reset = (senderId: number): void => {
    connections.get(senderId)?.close();
    connections.delete(senderId);
  };

  ipc.on(IPC_CHANNEL, (event, message) => {
    if (!event.senderFrame || !isTrustedFrame(event.senderFrame.url)) return;
    const { sender } = event;
    let connection = connections.get(sender.id);
    if (!connection) {
      connection = router((reply) => {
        if (!sender.isDestroyed()) sender.send(IPC_CHANNEL, reply);
      });
      connections.set(sender.id, connection);
      sender.once('destroyed', () => reset(sender.id));
    }
    connection.receive(message);
  });
  /** Call when a window loads a new page: its old subscriptions die with the old page. */
  return { reset };
}
