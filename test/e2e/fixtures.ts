import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BrowserModeApp {
  /** The address `fieldkit serve` printed, token included. */
  url: string;
  origin: string;
  dataDir: string;
}

/** Starts the built CLI's browser mode exactly as a technician would, on a fresh data folder. */
async function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const cli = new URL('../../dist/electron/cli/fieldkit.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, '--data-dir', dataDir, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/\S+token=\S+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`fieldkit serve exited with ${code}: ${out}`)));
  });
  return { child, url };
}

export const test = base.extend<{ app: BrowserModeApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  app: async ({}, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fieldkit-e2e-'));
    const { child, url } = await startServe(dataDir);
    await use({ url, origin: new URL(url).origin, dataDir });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
