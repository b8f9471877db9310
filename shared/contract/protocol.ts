import { z } from 'zod';
import { errorBody, type ErrorBody } from './errors.js';

/** The wire format shared by both transports (Electron IPC and the browser-mode WebSocket). */
export const messageId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const id = messageId;
const name = z.string().min(1).max(200);

export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id, name, input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id, name, input: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id, value: z.unknown() }),
  /** `id` is null when the message itself could not be read. */
  z.object({ type: z.literal('error'), id: id.nullable(), error: errorBody }),
  z.object({ type: z.literal('event'), id, value: z.unknown() }),
  z.object({ type: z.literal('end'), id, error: errorBody.optional() }),
]);
export type ServerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number | null; error: ErrorBody }
  | { type: 'event'; id: number; value: unknown }
  | { type: 'end'; id: number; error?: ErrorBody };

/** What a transport offers the client: message passing, nothing else. */
export interface ClientPort {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /** Called once if the link to the backend is lost. */
  onClose(listener: (reason: string) => void): () => void;
}
