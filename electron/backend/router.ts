import { contract, type MethodName, type StreamName } from '../../shared/contract/index.js';
import { FieldkitError, type ErrorBody } from '../../shared/contract/errors.js';
import { clientMessage, messageId, type ServerMessage } from '../../shared/contract/protocol.js';
import type { Definition } from '../../shared/contract/define.js';
import type { Handlers, StreamContext } from './handlers.js';
import { z } from 'zod';

/** One connected window or socket: feed it raw messages, close it when the peer goes. */
export interface Connection {
  receive(raw: unknown): void;
  close(): void;
}

export type Router = (send: (message: ServerMessage) => void) => Connection;

const definitions: Record<string, Definition> = contract;

export function createRouter(handlers: Handlers, onUnexpected: (error: unknown) => void = () => {}): Router {
  const methods = handlers as unknown as Record<string, (input: unknown, ctx: { signal: AbortSignal }) => unknown>;
  const streams = handlers as unknown as Record<string, (input: unknown, emit: (e: unknown) => void, ctx: StreamContext) => () => void>;

  return (send) => {
    const lifetime = new AbortController();
    const subscriptions = new Map<number, () => void>();
    const ctx = { signal: lifetime.signal };

    const toBody = (error: unknown): ErrorBody => {
      if (error instanceof FieldkitError) return error.toBody();
      onUnexpected(error);
      return { code: 'internal', message: error instanceof Error ? error.message : String(error), hint: 'This is a FieldKit bug; the details are in the log.' };
    };

    const lookup = <K extends Definition['kind']>(name: string, kind: K): Extract<Definition, { kind: K }> => {
      const def = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
      if (!def || def.kind !== kind) throw new FieldkitError('not_found', `No ${kind} named "${name}".`, 'Check that the app and its backend are the same version.');
      return def as Extract<Definition, { kind: K }>;
    };

    const checked = (schema: z.ZodType, value: unknown, what: string): unknown => {
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new FieldkitError('bad_request', `Invalid ${what}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    };

    async function call(id: number, name: string, input: unknown): Promise<void> {
      try {
        const def = lookup(name, 'method');
        const value = await methods[name as MethodName](checked(def.input, input, `input for ${name}`), ctx);
        if (!lifetime.signal.aborted) send({ type: 'result', id, value: checked(def.output, value, `output of ${name}`) });
      } catch (error) {
        if (!lifetime.signal.aborted) send({ type: 'error', id, error: toBody(error) });
      }
    }

    function subscribe(id: number, name: string, input: unknown): void {
      if (subscriptions.has(id)) throw new FieldkitError('conflict', `Subscription ${id} is already open.`);
      const def = lookup(name, 'stream');
      // Registered before the handler runs, so events it emits right away are delivered.
      subscriptions.set(id, () => {});
      const end = (error?: unknown): void => {
        if (!subscriptions.has(id)) return;
        unsubscribe(id);
        send(error === undefined ? { type: 'end', id } : { type: 'end', id, error: toBody(error) });
      };
      let stop: () => void;
      try {
        stop = streams[name as StreamName](
          checked(def.input, input, `input for ${name}`),
          (event) => {
            if (subscriptions.has(id)) send({ type: 'event', id, value: def.event.parse(event) });
          },
          { ...ctx, end },
        );
      } catch (error) {
        subscriptions.delete(id);
        throw error;
      }
      if (subscriptions.has(id)) subscriptions.set(id, stop);
      else stop();
    }

    function unsubscribe(id: number): void {
      const stop = subscriptions.get(id);
      subscriptions.delete(id);
      stop?.();
    }

    return {
      receive(raw) {
        if (lifetime.signal.aborted) return;
        const parsed = clientMessage.safeParse(raw);
        if (!parsed.success) {
          const id = z.object({ id: messageId }).safeParse(raw).data?.id ?? null;
          send({ type: 'error', id, error: { code: 'bad_request', message: `Unreadable message: ${z.prettifyError(parsed.error)}` } });
          return;
        }
        const message = parsed.data;
        if (message.type === 'call') void call(message.id, message.name, message.input);
        else if (message.type === 'unsubscribe') unsubscribe(message.id);
        else {
          try {
            subscribe(message.id, message.name, message.input);
          } catch (error) {
            send({ type: 'end', id: message.id, error: toBody(error) });
          }
        }
      },
      close() {
        lifetime.abort();
        for (const stop of subscriptions.values()) stop();
        subscriptions.clear();
      },
    };
  };
}
