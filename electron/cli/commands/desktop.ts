import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packageRoot } from '../../backend/app-paths.js';
import type { Command } from '../command.js';
import { serveCommand } from './serve.js';

/** The Electron binary installed beside a checkout, if its download was possible. */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export const desktopCommand: Command = {
  name: 'desktop',
  summary: 'Open the FieldKit desktop app from a checkout; browser mode where Electron is not installed.',
  usage: 'fieldkit desktop',
  async run(ctx) {
    const electron = electronBinary();
    if (!electron) {
      ctx.stderr.write('The Electron binary is not installed here (it downloads from outside the npm registry), so FieldKit opens in browser mode.\n');
      return serveCommand.run({ ...ctx, argv: ['--open', ...ctx.argv] });
    }
    const child = spawn(electron, [packageRoot(), `--data-dir=${ctx.dataDir}`], { stdio: 'inherit' });
    ctx.signal.addEventListener('abort', () => child.kill('SIGTERM'), { once: true });
    return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  },
};
