import { FieldkitError } from './errors.js';
import type { MethodInput, MethodName, MethodOutput, StreamEvent, StreamInput, StreamName } from './index.js';
import type { ClientPort, ServerMessage } from './protocol.js';

export interface StreamHandlers<E> {
  next(event: E): void;
  /** The stream ended: by the backend (with an error or not) or because the link was lost. */
  end?(error?: FieldkitError): void;
}

export interface FieldkitClient {
  call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  subscribe<S extends StreamName>(name: S, input: StreamInput<S>, handlers: StreamHandlers<StreamEvent<S>>): () => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: FieldkitError): void;
}

/** The typed client over any transport: the caller cannot tell IPC from WebSocket. */
export function createClient(port: ClientPort): FieldkitClient {
  let nextId = 1;
  const calls = new Map<number, Pending>();
  const streams = new Map<number, StreamHandlers<unknown>>();
  let lost: FieldkitError | undefined;

  port.onMessage((message: ServerMessage) => {
    switch (message.type) {
      case 'result':
        settle(message.id, (p) => p.resolve(message.value));
        break;
      case 'error':
        if (message.id !== null) settle(message.id, (p) => p.reject(FieldkitError.fromBody(message.error)));
        break;
      case 'event':
        streams.get(message.id)?.next(message.value);
        break;
      case 'end': {
        const handlers = streams.get(message.id);
        streams.delete(message.id);
        handlers?.end?.(message.error && FieldkitError.fromBody(message.error));
        break;
      }
    }
  });

  port.onClose((reason) => {
    lost = new FieldkitError('unavailable', `Lost the link to the FieldKit backend: ${reason}`, 'Reload the window; if it persists, restart FieldKit.');
    for (const pending of calls.values()) pending.reject(lost);
    calls.clear();
    for (const handlers of streams.values()) handlers.end?.(lost);
    streams.clear();
  });

  function settle(id: number, action: (pending: Pending) => void): void {
    const pending = calls.get(id);
    if (!pending) return;
    calls.delete(id);
    action(pending);
  }

  return {
    call(name, input) {
      if (lost) return Promise.reject(lost);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
        port.send({ type: 'call', id, name, input });
      });
    },
    subscribe(name, input, handlers) {
      if (lost) {
        handlers.end?.(lost);
        return () => {};
      }
      const id = nextId++;
      streams.set(id, handlers as StreamHandlers<unknown>);
      port.send({ type: 'subscribe', id, name, input });
      return () => {
        if (streams.delete(id) && !lost) port.send({ type: 'unsubscribe', id });
      };
    },
  };
}
