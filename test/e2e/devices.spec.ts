import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKey, startSshd, type Sshd, installJournalctlStandin } from '../harness/sshd.js';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const run = promisify(execFile);
const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

let sshd: Sshd;
let local: string;

test.beforeAll(async () => {
  sshd = await startSshd();
  local = await mkdtemp(join(tmpdir(), 'fk-e2e-devices-'));
  // Stand-in journalctl on the sessions' PATH, printing a recorded `journalctl -o export`.
  await installJournalctlStandin(sshd);
});
test.afterAll(async () => {
  await sshd?.stop();
  await rm(local, { recursive: true, force: true });
});

/** `ssh-keygen -lf` of the server's host key of that type: what the technician compares on the gateway. */
async function serverFingerprint(keyType: string): Promise<string> {
  const file = sshd.hostKeys.find((k) => k.publicLine.startsWith(`${keyType} `));
  if (!file) throw new Error(`the test sshd has no ${keyType} host key`);
  return (await run('ssh-keygen', ['-lf', `${file.privatePath}.pub`])).stdout.split(' ')[1];
}

/** Adds a gateway for the test sshd through the form, starting from the empty Devices section. */
async function addGateway(page: Page, name: string): Promise<void> {
  await expect(page.getByText('No gateways yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add gateway' }).click();
  const form = page.getByRole('form', { name: 'Add gateway' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await form.getByLabel('Port', { exact: true }).fill(String(sshd.port));
  await form.getByLabel('User', { exact: true }).fill('root');
  await form.getByLabel('Key file on this machine').fill(sshd.clientKey.privatePath);
  await form.getByRole('button', { name: 'Save gateway' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

/**
 * Holds the backend's answer to the page's first call of `method` until the returned function is called,
 * as a slow gateway would, so a test can act while that answer is on its way.
 */
async function holdFirstAnswer(page: Page, method: string): Promise<() => void> {
  let heldId: number | undefined;
  let released = false;
  let deliver = () => {};
  await page.routeWebSocket(/\/ws\?/, (pageSide) => {
    const server = pageSide.connectToServer();
    pageSide.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id: number; name?: string };
      if (heldId === undefined && call.name === method) heldId = call.id;
      server.send(message);
    });
    server.onMessage((message) => {
      if (released || heldId === undefined || (JSON.parse(String(message)) as { id: number | null }).id !== heldId) return pageSide.send(message);
      deliver = () => pageSide.send(message);
    });
  });
  return () => {
    released = true;
    deliver();
  };
}

test('add a gateway, accept its host key, run a command in the terminal, upload a file and collect its journal', async ({ page, app }) => {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  page.on('pageerror', (error) => blocked.push(error.message));
  const releaseHomeListing = await holdFirstAnswer(page, 'ssh.files.list');

  await page.goto(app.url);
  await addGateway(page, 'gw-e2e');
  await expect(page.getByText(/reachable, \d+ ms/)).toBeVisible();
  await page.getByRole('button', { name: 'Connect' }).click();

  const modal = page.getByRole('dialog', { name: 'Unknown host key' });
  await expect(modal).toBeVisible();
  const keyType = (await modal.getByTestId('host-key-type').textContent())!;
  await expect(modal.getByTestId('host-key-fingerprint')).toHaveText(await serverFingerprint(keyType));
  await page.screenshot({ path: join(SCREENSHOTS, 'devices-host-key.png') });
  await modal.getByRole('button', { name: 'Trust and remember' }).click();
  await expect(modal).toBeHidden();
  await expect(page.getByTestId('connection-state')).toHaveText('connected');
  await expect(page.getByTestId('status-connections')).toHaveText('1 connection');

  const terminal = page.locator('.xterm');
  await expect(terminal).toBeVisible();
  await terminal.click();
  // True colour output exercises xterm's inline-style path, which the strict CSP must not block.
  await page.keyboard.type("printf '\\033[38;2;255;128;0mfieldkit-%s-ok\\033[0m\\n' $((6*7))\n");
  await expect(page.locator('.xterm-rows')).toContainText('fieldkit-42-ok');
  await page.screenshot({ path: join(SCREENSHOTS, 'devices.png') });

  const payload = join(local, 'site-config.yaml');
  const content = `gateway: gw-e2e\nuploaded-at: ${Date.now()}\n`;
  await writeFile(payload, content);
  await page.getByRole('tab', { name: 'Files' }).click();
  // the home folder is listed first; a folder typed while that listing is on its way must survive its arrival
  await expect(page.getByRole('status').filter({ hasText: 'Listing the home folder…' })).toBeVisible();
  await page.getByLabel('Remote folder').fill(sshd.dir);
  releaseHomeListing();
  await expect(page.getByRole('table', { name: /^Files in \// })).toBeVisible();
  await expect(page.getByLabel('Remote folder')).toHaveValue(sshd.dir);
  await page.getByLabel('Remote folder').press('Enter');
  await expect(page.getByRole('table', { name: `Files in ${sshd.dir}` })).toBeVisible();
  await page.getByLabel('Local file to upload').fill(payload);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByTestId('transfer')).toContainText(`Uploaded ${content.length} B`);
  await expect(page.getByRole('table', { name: `Files in ${sshd.dir}` }).getByText('site-config.yaml')).toBeVisible();
  expect(await readFile(join(sshd.dir, 'site-config.yaml'), 'utf8')).toBe(content);
  await page.screenshot({ path: join(SCREENSHOTS, 'devices-files.png') });

  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByLabel('Collect since').fill('2026-11-28 10:00');
  await page.getByRole('button', { name: 'Collect logs' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Collected 5 journal records into the index.' })).toBeVisible();
  await page.getByRole('button', { name: 'Show device:gw-e2e in Logs' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Logs');
  await expect(page.getByLabel('Log query')).toHaveValue('device:gw-e2e');
  await expect(page.getByTestId('logs-total')).toHaveText('5 matches of 5 records');

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Devices', exact: true }).click();
  await page.getByRole('button', { name: 'Back to gateways' }).click();
  const row = page.getByRole('table', { name: 'Saved gateways' }).getByRole('row', { name: /gw-e2e/ });
  await expect(row).toContainText(/reachable · \d+ ms/);
  await expect(row).toContainText('connected');
  await page.screenshot({ path: join(SCREENSHOTS, 'devices-list.png') });

  expect(blocked).toEqual([]);
});

test('a changed host key stops the connection until the stored key is deliberately replaced', async ({ page, app }) => {
  await page.goto(app.url);
  await addGateway(page, 'gw-changed');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust and remember' }).click();
  await expect(page.getByTestId('connection-state')).toHaveText('connected');
  await page.getByRole('button', { name: 'Disconnect' }).click();

  // The gateway "was reinstalled": FieldKit's trust store now holds a key the server does not have.
  const trustStore = join(app.dataDir, 'ssh', 'known_hosts');
  const impostor = (await generateKey(join(local, 'impostor'))).publicLine;
  await writeFile(trustStore, (await readFile(trustStore, 'utf8')).replace(/ssh-ed25519 \S+/, impostor.split(' ').slice(0, 2).join(' ')));

  await page.getByRole('button', { name: 'Connect' }).click();
  const stop = page.getByRole('dialog', { name: 'Host key has changed: connection stopped' });
  await expect(stop).toBeVisible();
  await expect(stop.getByTestId('changed-key-fingerprint')).toHaveText(`ssh-ed25519 ${await serverFingerprint('ssh-ed25519')}`);
  const replace = stop.getByRole('button', { name: 'Replace the stored key' });
  await expect(replace).toBeDisabled();
  await page.screenshot({ path: join(SCREENSHOTS, 'devices-changed-key.png') });
  await stop.getByLabel('I checked on the gateway itself that its key has this fingerprint').check();
  await replace.click();
  await expect(stop).toBeHidden();
  await expect(page.getByTestId('connection-state')).toHaveText('connected');
  expect(await readFile(trustStore, 'utf8')).not.toContain(impostor.split(' ')[1]);
});
