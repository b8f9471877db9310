import { FieldkitError } from '../../shared/contract/errors.js';

export interface CliContext {
  /** Arguments after the command's own name(s). */
  argv: string[];
  dataDir: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on Ctrl+C or SIGTERM. */
  signal: AbortSignal;
}

export interface Command {
  /** One word, or a group and a word: `serve`, `serial list`. */
  name: string;
  summary: string;
  usage: string;
  /** Resolves to the process exit code. */
  run(ctx: CliContext): Promise<number>;
}

/** A mistake in how the command was called: exit code 2 and the usage line. */
export class UsageError extends FieldkitError {
  constructor(message: string) {
    super('bad_request', message);
  }
}
