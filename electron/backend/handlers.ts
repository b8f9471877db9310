import type { MethodName, MethodOutput, MethodParams, StreamEvent, StreamName, StreamParams } from '../../shared/contract/index.js';

/** Everything a handler may know about who is calling. */
export interface CallContext {
  /** Aborted when the caller goes away (window closed, socket dropped). */
  signal: AbortSignal;
}

export type MethodHandler<M extends MethodName> = (input: MethodParams<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;

export interface StreamContext extends CallContext {
  /** Ends the stream from the backend's side (a finished import, a failed watch); the stop function still runs. */
  end(error?: unknown): void;
}

/** Starts a stream: calls `emit` for each event, returns the function that stops it. */
export type StreamHandler<S extends StreamName> = (
  input: StreamParams<S>,
  emit: (event: StreamEvent<S>) => void,
  ctx: StreamContext,
) => () => void;

export type Handlers = { [M in MethodName]: MethodHandler<M> } & { [S in StreamName]: StreamHandler<S> };
