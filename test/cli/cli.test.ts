import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../electron/backend/data-dir.js';
import { runCli } from '../../electron/cli/fieldkit.js';

function run(args: string[], env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = runCli(args, { stdout, stderr, env, signal });
  return { code, out: () => out, err: () => err };
}

/** Starts `serve`, waits for its banner, stops it, and returns what it printed. */
async function serveBanner(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const abort = new AbortController();
  const cli = run(args, env, abort.signal);
  await expect.poll(cli.out).toContain('Press Ctrl+C');
  abort.abort();
  expect(await cli.code).toBe(0);
  return cli.out();
}

describe('the fieldkit CLI', () => {
  it('prints its version and help', async () => {
    const version = run(['--version']);
    expect(await version.code).toBe(0);
    expect(version.out()).toMatch(/^\d+\.\d+\.\d+\n$/);

    const help = run(['--help']);
    expect(await help.code).toBe(0);
    expect(help.out()).toContain('serve');
    expect(help.out()).toContain('--data-dir DIR');

    const serveHelp = run(['serve', '--help']);
    expect(await serveHelp.code).toBe(0);
    expect(serveHelp.out()).toContain('Usage: fieldkit serve [--port N] [--host ADDR] [--open]');
  });

  it('explains an unknown command or a bad option in one line and exits 2', async () => {
    const unknown = run(['frobnicate']);
    expect(await unknown.code).toBe(2);
    expect(unknown.err()).toBe('fieldkit: unknown command "frobnicate". Run "fieldkit --help" for the list.\n');

    const badPort = run(['serve', '--port', 'seventy']);
    expect(await badPort.code).toBe(2);
    expect(badPort.err()).toContain('--port must be 0-65535, got "seventy".');

    const badFlag = run(['serve', '--colour']);
    expect(await badFlag.code).toBe(2);
    expect(badFlag.err()).toMatch(/Unknown option '--colour'/);
  });

  it('honours --data-dir before or after the command, then FIELDKIT_DATA_DIR', async () => {
    expect(await serveBanner(['--data-dir', '/tmp/fk-a', 'serve'])).toContain('Data: /tmp/fk-a');
    expect(await serveBanner(['serve', '--data-dir=/tmp/fk-b'])).toContain('Data: /tmp/fk-b');
    expect(await serveBanner(['serve'], { FIELDKIT_DATA_DIR: '/tmp/fk-c' })).toContain('Data: /tmp/fk-c');
    expect(await serveBanner(['serve', '--data-dir', '/tmp/fk-d'], { FIELDKIT_DATA_DIR: '/tmp/fk-c' })).toContain('Data: /tmp/fk-d');
  });

  it('serves on loopback with a token by default', async () => {
    expect(await serveBanner(['--data-dir', '/tmp/fk-e', 'serve'])).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}\n/);
  });
});

describe('the default data folder', () => {
  it('is the folder Electron calls userData for FieldKit on each platform', () => {
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/home/t/.config' }, 'linux')).toBe('/home/t/.config/FieldKit');
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\t\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming[\\/]FieldKit$/);
    expect(resolveDataDir(undefined, {}, 'darwin')).toMatch(/Library\/Application Support\/FieldKit$/);
  });
});
