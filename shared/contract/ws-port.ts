import type { ClientMessage, ClientPort, ServerMessage } from './protocol.js';

/** The part of the WebSocket API the port uses: the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(text: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}

const OPEN = 1;

/** Browser mode's transport: the backend behind a WebSocket, admitted by the launch token. */
export function webSocketPort(socket: WebSocketLike): ClientPort {
  const queued: string[] = [];
  const messageListeners = new Set<(message: ServerMessage) => void>();
  const closeListeners = new Set<(reason: string) => void>();

  socket.addEventListener('open', () => {
    for (const text of queued.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    for (const listener of messageListeners) listener(message);
  });
  socket.addEventListener('close', (event) => {
    const reason = event.code === 1006 ? 'the FieldKit server stopped or refused the access token' : `the connection closed (code ${event.code})`;
    for (const listener of closeListeners) listener(reason);
  });

  return {
    send(message: ClientMessage) {
      const text = JSON.stringify(message);
      if (socket.readyState === OPEN) socket.send(text);
      else queued.push(text);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
}
