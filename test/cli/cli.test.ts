import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../electron/backend/data-dir.js';
import { runFieldkit, startCli } from '../harness/cli-run.js';


/** Starts `serve`, waits for its banner, stops it, and returns what it printed. */
async function serveBanner(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const abort = new AbortController();
  const cli = startCli(args, { env, signal: abort.signal });
  await expect.poll(() => cli.output.stdout).toContain('Press Ctrl+C');
  abort.abort();
  const { code, stdout } = await cli.done;
  expect(code).toBe(0);
  return stdout;
}

describe('the fieldkit CLI', () => {
  it('prints its version and help', async () => {
    const version = await runFieldkit(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);

    const help = await runFieldkit(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('serve');
    expect(help.stdout).toContain('--data-dir DIR');

    const serveHelp = await runFieldkit(['serve', '--help']);
    expect(serveHelp.code).toBe(0);
    expect(serveHelp.stdout).toContain('Usage: fieldkit serve [--port N] [--host ADDR] [--open]');
  });

  it('explains an unknown command or a bad option in one line and exits 2', async () => {
    const unknown = await runFieldkit(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('fieldkit: unknown command "frobnicate". Run "fieldkit --help" for the list.\n');

    const badPort = await runFieldkit(['serve', '--port', 'seventy']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be 0-65535, got "seventy".');

    const badFlag = await runFieldkit(['serve', '--colour']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/Unknown option '--colour'/);
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
