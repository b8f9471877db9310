import type { ClientMessage, ClientPort, ServerMessage } from './protocol.js';

// Kept apart from protocol.ts so the preload bundle carries no schema library.

/** The one Electron IPC channel both directions use. */
export const IPC_CHANNEL = 'fieldkit:message';

/** What the preload script exposes as `window.fieldkit`. */
export interface FieldkitBridge {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}

/** Electron's transport: the preload bridge. The backend lives as long as the window, so it never closes. */
export function bridgePort(bridge: FieldkitBridge): ClientPort {
  return { send: bridge.send, onMessage: bridge.onMessage, onClose: () => () => {} };
}
