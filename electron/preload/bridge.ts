import { IPC_CHANNEL, type FieldkitBridge } from '../../shared/contract/bridge.js';
import type { ClientMessage, ServerMessage } from '../../shared/contract/protocol.js';

type Listener = (event: unknown, message: ServerMessage) => void;

/** The slice of Electron's ipcRenderer the bridge needs. */
export interface IpcRendererLike {
  send(channel: string, message: ClientMessage): void;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

/** Message passing only: the page never gets ipcRenderer itself or any other Electron or Node API. */
export function createBridge(ipc: IpcRendererLike): FieldkitBridge {
  return Object.freeze({
    send(message: ClientMessage) {
      ipc.send(IPC_CHANNEL, message);
    },
    onMessage(listener: (message: ServerMessage) => void) {
      const forward: Listener = (_event, message) => listener(message);
      ipc.on(IPC_CHANNEL, forward);
      return () => void ipc.removeListener(IPC_CHANNEL, forward);
    },
  });
}
