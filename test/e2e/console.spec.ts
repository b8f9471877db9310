import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEchoShell, type PtyPeer } from '../harness/pty-peer.js';
import { startPtyPair, type PtyPair } from '../harness/socat.js';
import { startReceiver } from '../integration/serial/lrzsz.js';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

let pair: PtyPair;
test.beforeEach(async () => {
  pair = await startPtyPair();
});
test.afterEach(async () => {
  await pair.stop();
});

test('open a pty-backed port, type a command and see the echo from the other end', async ({ page, app }) => {
  const shell: PtyPeer = startEchoShell(pair.b);
  const scratch = await mkdtemp(join(tmpdir(), 'fk-e2e-console-'));
  try {
    const blocked: string[] = [];
    page.on('console', (message) => message.type() === 'error' && blocked.push(message.text()));
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP blocked ' + e.violatedDirective + ': ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber))",
    });
    await page.goto(app.url);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Console', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Open a serial console' })).toBeVisible();
    // zod's one-time `new Function` feature probe at app start is reported by the CSP too; the console must add nothing.
    const atStart = blocked.length;

    await page.getByRole('button', { name: /^Settings: / }).click();
    await page.getByLabel('Enter sends').selectOption('cr');
    await page.getByLabel('Timestamp each line').check();
    await page.getByRole('button', { name: 'Close settings' }).click();

    await page.getByLabel('Port path').fill(pair.a);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByRole('tab', { name: 'a' })).toHaveAttribute('aria-selected', 'true');
    const status = page.getByTestId('console-status');
    await expect(status).toContainText('Connected');

    const boot = [
      'U-Boot 2024.01 (Jan 08 2024 - 10:12:44 +0000)', 'DRAM:  2 GiB', 'Hit any key to stop autoboot:  0', 'Starting kernel ...', '',
      '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd034]', '[    2.184113] mmcblk0: p1 p2 p3',
      '[    4.902771] EXT4-fs (mmcblk0p2): mounted filesystem with ordered data mode', '', 'gw-17 login: root', '',
    ];
    await shell.write(boot.join('\r\n') + '# ');
    const terminal = page.locator('.console-terminal .xterm');
    await expect(terminal.locator('.xterm-rows')).toContainText('gw-17 login: root');
    await terminal.click();
    await page.keyboard.type('uname -a');
    await page.keyboard.press('Enter');
    await expect.poll(() => shell.received()).toBe('uname -a\r');
    await expect(terminal.locator('.xterm-rows')).toContainText('you said: uname -a');
    await expect(terminal.locator('.xterm-rows')).toContainText(/\[\d\d:\d\d:\d\d\.\d{3}\] you said: uname -a/);
    await expect(status).toContainText('Out 9 B');

    // A multi-line paste waits for confirmation, then goes out with the chosen line ending.
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'ip addr\\nuptime');
      document.querySelector('.console-terminal textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    const confirm = page.getByRole('alertdialog', { name: 'Confirm multi-line paste' });
    await expect(confirm).toContainText('Paste 2 lines');
    await confirm.getByRole('button', { name: 'Paste 2 lines' }).click();
    await expect.poll(() => shell.received()).toBe('uname -a\rip addr\ruptime');
    await expect(terminal.locator('.xterm-rows')).toContainText('you said: ip addr');

    // Tab belongs to the device's shell; F6 leaves the terminal for the console's controls.
    await terminal.click();
    await page.keyboard.press('F6');
    await expect(page.locator('.console-toolbar button').first()).toBeFocused();

    // The terminal's layout and theme rules arrive through adopted stylesheets: xterm measured real character cells.
    const row = await terminal.locator('.xterm-rows > div').first().boundingBox();
    expect(row!.height).toBeGreaterThan(8);
    await page.screenshot({ path: `${SCREENSHOTS}console.png` });

    await page.getByRole('button', { name: /^Settings: 115200 8N1/ }).click();
    const drawer = page.getByRole('complementary', { name: 'Console settings' });
    await expect(drawer).toBeVisible();
    await drawer.getByLabel('Baud rate', { exact: true }).selectOption('custom');
    await drawer.getByLabel('Custom baud rate').fill('250000');
    await drawer.getByRole('button', { name: 'Set', exact: true }).click();
    await expect(page.getByRole('button', { name: /^Settings: 250000 8N1/ })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}console-settings.png` });
    await drawer.getByLabel('Hex view').check();
    await shell.write(Buffer.from([0x01, 0x02, 0x41, 0x42]));
    await expect(terminal.locator('.xterm-rows')).toContainText('01 02 41 42');
    await drawer.getByLabel('Hex view').uncheck();
    await drawer.getByLabel('Baud rate', { exact: true }).focus();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('complementary', { name: 'Console settings' })).toBeHidden();

    const exported = join(scratch, 'gw-17-console.txt');
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.getByLabel('Export to').fill(exported);
    await page.getByRole('button', { name: 'Export text' }).click();
    await expect(status).toContainText(`to ${exported}`);
    expect(await readFile(exported, 'utf8')).toMatch(/^\S+Z you said: ip addr$/m);

    // Closing the tab closes the session; what the device printed is in the log index.
    await page.getByRole('button', { name: `Close console ${pair.a}` }).click();
    await expect(page.getByRole('heading', { name: 'Open a serial console' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Logs', exact: true }).click();
    await page.getByLabel('Log query').fill('source:serial "you said"');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('logs-total')).toContainText(/^2 matches/);

    expect(blocked.slice(atStart)).toEqual([]);
    expect(blocked.filter((text) => /style-src/.test(text))).toEqual([]);
  } finally {
    await shell.close();
    await rm(scratch, { recursive: true, force: true });
  }
});

test('send a file with YMODEM to lrzsz rb on the other end, with progress', async ({ page, app }) => {
  const scratch = await mkdtemp(join(tmpdir(), 'fk-e2e-send-'));
  const data = randomBytes(64 * 1024);
  await writeFile(join(scratch, 'firmware.bin'), data);
  const inbox = await mkdtemp(join(scratch, 'inbox-'));
  let rb: ReturnType<typeof startReceiver> | undefined;
  try {
    await page.goto(app.url);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Console', exact: true }).click();
    await page.getByLabel('Port path').fill(pair.a);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('console-status')).toContainText('Connected');
    // Started once the port is open, as on a device (`loady`, `rb`): its first 'C' is not lost to the open.
    rb = startReceiver(pair.b, inbox, ['rb', '-b', '-q']);

    await page.getByRole('button', { name: 'Send file…' }).click();
    await page.getByLabel('Transfer protocol').selectOption('ymodem');
    await page.getByLabel('File to send').fill(join(scratch, 'firmware.bin'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const progress = page.getByRole('status').filter({ hasText: 'firmware.bin' });
    await expect(progress).toContainText('Sent.', { timeout: 30_000 });
    await expect(progress).toContainText('64.0 KB of 64.0 KB');
    await expect(progress).toContainText(/[\d.]+ (B|KB|MB)\/s/);
    await page.screenshot({ path: `${SCREENSHOTS}console-send-file.png` });
    expect((await rb.done).code).toBe(0);
    expect((await readFile(join(inbox, 'firmware.bin'))).equals(data)).toBe(true);
  } finally {
    rb?.kill();
    await rm(scratch, { recursive: true, force: true });
  }
});
