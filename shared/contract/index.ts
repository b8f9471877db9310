import type { z } from 'zod';
import { appContract } from './app.js';
import { clusterContract } from './cluster.js';
import { logsContract } from './logs.js';
import { sshContract } from './ssh.js';
import { serialContract } from './serial.js';
import { telemetryContract } from './telemetry.js';
import type { MethodDef, StreamDef } from './define.js';

/** Every method and stream the backend offers; each domain adds its own block here. */
export const contract = {
  ...appContract,
  ...logsContract,
  ...sshContract,
  ...serialContract,
  ...telemetryContract,
  ...clusterContract,
} as const;

type Contract = typeof contract;
export type MethodName = { [K in keyof Contract]: Contract[K] extends MethodDef ? K : never }[keyof Contract];
export type StreamName = { [K in keyof Contract]: Contract[K] extends StreamDef ? K : never }[keyof Contract];

type MethodOf<M extends MethodName> = Contract[M] extends MethodDef<infer I, infer O> ? { input: I; output: O } : never;
type StreamOf<S extends StreamName> = Contract[S] extends StreamDef<infer I, infer E> ? { input: I; event: E } : never;

/** What a caller passes (defaults may be left out)… */
export type MethodInput<M extends MethodName> = z.input<MethodOf<M>['input']>;
/** …and what the handler receives once the input is checked and its defaults filled in. */
export type MethodParams<M extends MethodName> = z.output<MethodOf<M>['input']>;
export type MethodOutput<M extends MethodName> = z.output<MethodOf<M>['output']>;
export type StreamInput<S extends StreamName> = z.input<StreamOf<S>['input']>;
export type StreamParams<S extends StreamName> = z.output<StreamOf<S>['input']>;
export type StreamEvent<S extends StreamName> = z.output<StreamOf<S>['event']>;

export { FieldkitError, type ErrorBody, type ErrorCode } from './errors.js';
export * from './app.js';
export * from './logs.js';
export * from './ssh.js';
export * from './serial.js';
export * from './telemetry.js';
export * from './cluster.js';
