import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { appVersion, rendererDir } from '../../backend/app-paths.js';
import { createBackend } from '../../backend/backend.js';
import { startWebServer } from '../../server/web-server.js';
import { UsageError, type Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run FieldKit in browser mode: the app and its backend on a local web server.',
  usage: 'fieldkit serve [--port N] [--host ADDR] [--open]',
  async run({ argv, dataDir, stdout, stderr, signal }) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, open: { type: 'boolean', default: false } },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got "${values.port}".`);
    if (!isLoopback(values.host)) {
      stderr.write(`warning: serving on ${values.host}: anyone who can reach it and learns the token controls this FieldKit.\n`);
    }

    const backend = await createBackend({ dataDir, version: appVersion(), onUnexpected: (error) => stderr.write(`internal error: ${String(error)}\n`) });
    const server = await startWebServer({ router: backend.router, staticDir: rendererDir(), host: values.host, port });
    stdout.write(`FieldKit is running in browser mode at:\n  ${server.url}\nData: ${dataDir}\nPress Ctrl+C to stop.\n`);
    if (values.open) openBrowser(server.url);

    await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
    await server.close();
    await backend.close();
    return 0;
  },
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Best effort: on a machine with no browser or no display, the printed URL is enough. */
function openBrowser(url: string): void {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const [command, ...args] =
    process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : process.platform === 'darwin' ? ['open', url] : ['xdg-open', url];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}
