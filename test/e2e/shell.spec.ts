import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

const SECTIONS = ['Devices', 'Console', 'Logs', 'Telemetry', 'Cluster', 'Flash', 'Onboarding'];
const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

test('every section shows its empty state with a next step, and nothing leaves the machine', async ({ page, app }) => {
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(app.origin) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(app.url);
  await expect(page.getByText('Backend connected')).toBeVisible();
  await expect(page.getByTestId('status-connections')).toHaveText('0 connections');
  await expect(page.getByTestId('status-index')).toHaveText('Index 0 B');
  expect(page.url()).not.toContain('token=');

  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const name of SECTIONS) {
    await nav.getByRole('button', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.locator('.empty-state h2')).toBeVisible();
    expect(await page.locator('.empty-steps li').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SCREENSHOTS, `shell-${name.toLowerCase()}.png`) });
  }
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('the command palette opens with Ctrl+K, filters, and runs a command by keyboard', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByText('Backend connected')).toBeVisible();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await page.keyboard.type('go tele');
  await expect(palette.getByRole('option')).toHaveText(['Go to TelemetryCtrl+4']);
  await page.screenshot({ path: join(SCREENSHOTS, 'command-palette.png') });
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Telemetry');

  await page.keyboard.press('Control+k');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await page.keyboard.press('Control+6');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Flash');
});

test('the theme toggles, is saved in the data folder, and survives a reload', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(app.url);
  await expect(page.getByText('Backend connected')).toBeVisible();
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');

  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8'))).toEqual({ theme: 'dark' });
  await page.screenshot({ path: join(SCREENSHOTS, 'devices-dark.png') });

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('light theme');
  await page.keyboard.press('Enter');
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('without the launch token the page explains how to get in, and the backend stays shut', async ({ page, app }) => {
  await page.goto(app.origin + '/');
  await expect(page.getByRole('alert')).toContainText('Open the full address that "fieldkit serve" printed');
  const refused = await page.evaluate(
    (origin) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(origin.replace('http', 'ws') + '/ws?token=guess');
        socket.onopen = () => resolve(false);
        socket.onerror = () => resolve(true);
      }),
    app.origin,
  );
  expect(refused).toBe(true);
});
