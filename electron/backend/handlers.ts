import type { MethodInput, MethodName, MethodOutput, StreamEvent, StreamInput, StreamName } from '../../shared/contract/index.js';

/** Everything a handler may know about who is calling. */
export interface CallContext {
  /** Aborted when the caller goes away (window closed, socket dropped). */
  signal: AbortSignal;
}

export type MethodHandler<M extends MethodName> = (input: MethodInput<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** Starts a stream: calls `emit` for each event, returns the function that stops it. */
export type StreamHandler<S extends StreamName> = (
  input: StreamInput<S>,
  emit: (event: StreamEvent<S>) => void,
  ctx: CallContext,
) => () => void;

export type Handlers = { [M in MethodName]: MethodHandler<M> } & { [S in StreamName]: StreamHandler<S> };
