import { PassThrough } from 'node:stream';
import { runCli } from '../../electron/cli/fieldkit.js';

export interface CliOutput {
  stdout: string;
  stderr: string;
}

/** Runs `fieldkit` in-process with no environment unless given one; `output` fills while it runs (for `-f` and `serve`). */
export function startCli(args: string[], opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): { output: CliOutput; done: Promise<CliOutput & { code: number }> } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const output: CliOutput = { stdout: '', stderr: '' };
  stdout.on('data', (d: Buffer) => (output.stdout += d.toString()));
  stderr.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const done = runCli(args, { stdout, stderr, env: opts.env ?? {}, ...(opts.signal && { signal: opts.signal }) }).then((code) => ({ code, ...output }));
  return { output, done };
}

export const runFieldkit = (args: string[], opts?: { env?: NodeJS.ProcessEnv; signal?: AbortSignal }) => startCli(args, opts).done;
