import type { z } from 'zod';

/** A request/response call: the input is checked before the handler runs, the output before it is sent. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'method';
  summary: string;
  input: I;
  output: O;
}

/** A subscription: one input, then events until either side ends it. */
export interface StreamDef<I extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  kind: 'stream';
  summary: string;
  input: I;
  event: E;
}

export type Definition = MethodDef | StreamDef;

export const method = <I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): MethodDef<I, O> => ({
  kind: 'method',
  summary,
  input,
  output,
});

export const stream = <I extends z.ZodType, E extends z.ZodType>(summary: string, input: I, event: E): StreamDef<I, E> => ({
  kind: 'stream',
  summary,
  input,
  event,
});
