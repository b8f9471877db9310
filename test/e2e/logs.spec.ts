import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';

const fixtures = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

test('import a diagnostic bundle, search it, narrow by a facet and zoom the histogram', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Logs', exact: true }).click();
  await expect(page.getByText('The log index is empty')).toBeVisible();

  await page.getByLabel('Paths to import').fill(`${fixtures}bundle\n${fixtures}logfile_syslog.0`);
  await page.getByLabel('Device name').fill('gw-17');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 25 records from 6 files' })).toBeVisible();
  await expect(page.getByTestId('logs-total')).toHaveText('25 matches of 25 records');

  await page.getByLabel('Log query').fill('lookup');
  await page.keyboard.press('Enter');
  // the count before the search also reads "N matches of 25 records": wait for the search's own first
  await expect(page.getByTestId('logs-total')).not.toHaveText('25 matches of 25 records');
  await expect(page.getByTestId('logs-total')).toContainText(/^\d+ matches of 25 records$/);
  const rows = page.getByRole('row');
  const matches = Number((await page.getByTestId('logs-total').textContent())!.split(' ')[0]);
  expect(matches).toBeGreaterThan(1);
  await expect(rows).toHaveCount(matches);
  await expect(rows.first().locator('mark').first()).toHaveText(/^lookup$/i);
  await expect(page.getByRole('img', { name: `${matches} matches over time` })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}logs-search.png` });

  await page.getByRole('complementary', { name: 'Facets' }).getByRole('button', { name: /^gw-17/ }).click();
  await expect(page.getByLabel('Log query')).toHaveValue('lookup device:gw-17');
  await expect(page.getByTestId('logs-total')).toContainText(`${matches} matches`);

  const chart = page.getByRole('img', { name: /matches over time/ });
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
  await page.mouse.up();
  await expect(page.getByRole('button', { name: 'Show all time' })).toBeVisible();
  await page.getByRole('button', { name: 'Show all time' }).click();
  await expect(page.getByTestId('logs-total')).toContainText(`${matches} matches`);

  await page.getByLabel('Log query').fill('level>=loud');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Query error at character');
});
