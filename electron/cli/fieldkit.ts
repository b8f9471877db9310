#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FieldkitError } from '../../shared/contract/errors.js';
import { appVersion } from '../backend/app-paths.js';
import { resolveDataDir } from '../backend/data-dir.js';
import { UsageError, type Command } from './command.js';
import { desktopCommand } from './commands/desktop.js';
import { serveCommand } from './commands/serve.js';
import { decodeNmeaCommand } from './commands/decode.js';
import { telemetryCommands } from './commands/telemetry.js';
import { indexCommands } from './commands/index.js';
import { sshCommands } from './commands/ssh.js';
import { serialCommands } from './commands/serial.js';
import { ubootCommands } from './commands/uboot.js';
import { clusterJoinCommand } from './commands/cluster-join.js';
import { clusterCommands } from './commands/cluster.js';

/** Every subcommand; each domain adds its own here. */
export const COMMANDS: Command[] = [serveCommand, desktopCommand, decodeNmeaCommand, ...telemetryCommands, ...indexCommands, ...sshCommands, ...serialCommands, ...ubootCommands, clusterJoinCommand, ...clusterCommands];

export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Runs one invocation and returns its exit code; never throws. */
export async function runCli(args: string[], io: CliStreams): Promise<number> {
  const { stdout, stderr } = io;
  let dataDirFlag: string | undefined;
  let rest: string[];
  try {
    ({ dataDirFlag, rest } = takeDataDir(args));
  } catch (error) {
    stderr.write(`fieldkit: ${(error as Error).message}\n`);
    return 2;
  }

  if (rest[0] === '--version' || rest[0] === '-v') {
    stdout.write(`${appVersion()}\n`);
    return 0;
  }
  if (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
    stdout.write(helpText());
    return rest.length === 0 ? 2 : 0;
  }

  const command = findCommand(rest);
  if (!command) {
    stderr.write(`fieldkit: unknown command "${rest.slice(0, 2).join(' ')}". Run "fieldkit --help" for the list.\n`);
    return 2;
  }
  const argv = rest.slice(command.name.split(' ').length);
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }

  try {
    return await command.run({ argv, dataDir: resolveDataDir(dataDirFlag, io.env), stdout, stderr, signal: io.signal ?? new AbortController().signal });
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const hint = error instanceof FieldkitError && error.hint ? ` ${error.hint}` : '';
    stderr.write(`fieldkit ${command.name}: ${(error as Error).message}${hint}\n`);
    if (usage) stderr.write(`Usage: ${command.usage}\n`);
    return usage ? 2 : 1;
  }
}

function findCommand(words: string[]): Command | undefined {
  const two = words.slice(0, 2).join(' ');
  return COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === words[0]);
}

/** `--data-dir` is global: it may stand before or after the command, but not after `--`. */
function takeDataDir(args: string[]): { dataDirFlag?: string; rest: string[] } {
  const rest: string[] = [];
  let dataDirFlag: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--data-dir') {
      dataDirFlag = args[++i];
      if (!dataDirFlag) throw new Error('--data-dir needs a folder.');
    } else if (arg.startsWith('--data-dir=')) dataDirFlag = arg.slice('--data-dir='.length);
    else rest.push(arg);
  }
  return { dataDirFlag, rest };
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'FieldKit: commission and repair edge gateways.',
    '',
    'Usage: fieldkit [--data-dir DIR] <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --data-dir DIR  where the index, profiles and settings live (also FIELDKIT_DATA_DIR)',
    '  --version       print the version',
    '  --help          this text; "fieldkit <command> --help" for one command',
    '',
  ].join('\n');
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort());
  // `fieldkit … | head`: a closed pipe means the reader has what it wants; stop like Ctrl+C instead of crashing.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    abort.abort();
  });
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: abort.signal });
}
