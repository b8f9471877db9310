import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startModbusSlave } from '../harness/modbus-slave.js';
import { startMosquitto, type Mosquitto } from '../harness/mosquitto.js';
import { startPtyPair } from '../harness/socat.js';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const users = { fieldkit: 'gw-pass', sensor: 'pub-pass' };

let broker: Mosquitto;
test.beforeAll(async () => {
  broker = await startMosquitto({ users });
});
test.afterAll(async () => {
  await broker?.stop();
});

/** Canvas pixels in a saturated colour: plotted lines (axes and grid are grey). */
function colouredPixels(page: Page): Promise<number> {
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  return page.locator('.telemetry-plot canvas').evaluate((element) => {
    const c = element as unknown as Canvas;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 80) coloured++;
    return coloured;
  });
}

/** A sensor publishing a JSON reading every 100 ms (10 Hz) until stopped. */
async function startSensor(): Promise<{ stop(): Promise<void>; sent(): number }> {
  const client = await mqtt.connectAsync(broker.url, { username: 'sensor', password: users.sensor });
  let i = 0;
  const publish = () => {
    i++;
    const reading = { t: { c: 20 + 5 * Math.sin(i / 10) }, rh: 40 + (i % 20), pos: { lat: 52.52 + i * 1e-5, lon: 13.405 + Math.sin(i / 20) * 1e-4 } };
    void client.publishAsync('plant/line1/env', JSON.stringify(reading));
  };
  publish();
  const timer = setInterval(publish, 100);
  return {
    sent: () => i,
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}

test('subscribe to an MQTT broker from the UI and watch the plot, the live values and the GPS track update', async ({ page, app }) => {
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto(app.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Telemetry', exact: true }).click();
  await expect(page.getByText('No sensor streams')).toBeVisible();

  const form = page.getByRole('form', { name: 'MQTT subscription' });
  await form.getByLabel('Broker address').fill(broker.url);
  await form.getByLabel('Device name').fill('gw-e2e');
  await form.getByLabel('User name').fill('fieldkit');
  await form.getByLabel('Password').fill(users.fieldkit);
  await form.getByLabel('Topic filter').fill('plant/+/env');
  await form.getByLabel('Sensor name').fill('env');
  await form.getByLabel(/^JSON fields/).fill('t.c temp degC\nrh humidity %\npos.lat lat deg\npos.lon lon deg');
  await form.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Subscribed: gw-e2e ←' })).toBeVisible();

  const sensor = await startSensor();
  try {
    // New series appear in the tree on the next poll; tick the whole device.
    await page.getByRole('checkbox', { name: 'All of gw-e2e', exact: true }).check({ timeout: 15_000 });
    await expect(page.getByTestId('telemetry-plot')).toHaveAttribute('data-series', '4');
    await expect(page.locator('.telemetry-plot .u-legend .u-series')).toHaveCount(5);
    await expect(page.getByRole('list', { name: 'Live sources' })).toContainText(/\d+ messages/);

    const temperature = page.locator('tr[data-series="gw-e2e/env/temp[degC]"]');
    await expect(temperature).not.toHaveClass(/stale/);
    await expect(temperature).toContainText('degC');
    const first = await temperature.getByTestId('live-value').textContent();
    await expect(temperature.getByTestId('live-value')).not.toHaveText(first!);
    await expect(page.getByRole('img', { name: 'GPS track of gw-e2e env' })).toBeVisible();

    // The plot has drawn lines: canvas pixels in the series colours, not just an empty frame.
    await expect.poll(() => colouredPixels(page)).toBeGreaterThan(200);
    await page.getByRole('button', { name: '1m', exact: true }).click();
    await expect.poll(() => sensor.sent(), { timeout: 10_000 }).toBeGreaterThan(60);
    await page.screenshot({ path: `${SCREENSHOTS}telemetry.png` });

    // Record two seconds, then pause and zoom by dragging across the plot.
    await page.getByRole('button', { name: '● Record' }).click();
    await page.waitForTimeout(2000);
    await page.getByRole('button', { name: /Stop recording/ }).click();
    await expect(page.getByRole('list', { name: 'Recorded sessions' }).getByRole('listitem')).toHaveCount(1);

    await page.getByRole('button', { name: 'Pause' }).click();
    const over = page.locator('.telemetry-plot .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByText(/drag on the plot to zoom\)$/)).toBeVisible();
    await page.getByRole('button', { name: 'Live', exact: true }).click();

    // A day-wide window is drawn from the store's rollups, not from the samples held in the page.
    await page.getByRole('button', { name: '24h', exact: true }).click();
    await expect.poll(() => colouredPixels(page)).toBeGreaterThan(20);
    await page.getByRole('button', { name: '1m', exact: true }).click();
  } finally {
    await sensor.stop();
  }

  // With the sensor silent, values turn stale after 5 s.
  await expect(page.locator('tr[data-series="gw-e2e/env/temp[degC]"]')).toHaveClass(/stale/, { timeout: 10_000 });

  // Replay the recorded session at 10x: it plays to the end.
  const session = page.getByRole('list', { name: 'Recorded sessions' }).getByRole('listitem').first();
  await session.getByRole('button', { name: /at 10x$/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Replayed “Session/ })).toBeVisible({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Back to live' }).click();

  expect(problems).toEqual([]);
});

test('poll a Modbus RTU slave from a register map edited in the UI, with counters per device', async ({ page, app }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const pair = await startPtyPair();
  const slave = await startModbusSlave(pair.b, { 1: { holding: { 0: [0xff38], 1: [0x41c8, 0x0000] }, input: { 5: [1234] } } });
  try {
    await page.goto(app.url);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Telemetry', exact: true }).click();
    await page.getByRole('tab', { name: 'Modbus RTU' }).click();
    const form = page.getByRole('form', { name: 'Modbus RTU polling' });
    await form.getByLabel('Serial port').fill(pair.a);
    await form.getByLabel('Device name').fill('pump-e2e');
    await form.getByLabel('Register 1 field').fill('temp');
    await form.getByLabel('Register 1 type').selectOption('int16');
    await form.getByLabel('Register 1 scale').fill('0.1');
    await form.getByLabel('Register 1 unit').fill('degC');
    await form.getByLabel('Register 1 pollIntervalMs').fill('200');
    await form.getByRole('button', { name: 'Add register' }).click();
    await form.getByLabel('Register 2 type').selectOption('float32');
    await form.getByLabel('Register 2 pollIntervalMs').fill('200');
    await form.getByRole('button', { name: 'Add register' }).click();
    await form.getByRole('button', { name: 'Remove register 3' }).click();

    // An unnamed register is refused in the form, with the row named.
    await form.getByRole('button', { name: 'Start polling' }).click();
    await expect(form.getByRole('alert', { name: 'Register map problems' })).toContainText('Register 2 (unnamed): field name missing');
    await page.screenshot({ path: `${SCREENSHOTS}telemetry-modbus-form.png` });
    await form.getByLabel('Register 2 field').fill('flow');
    await form.getByRole('button', { name: 'Start polling' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Polling: pump-e2e (unit 1) ←' })).toBeVisible();

    const sources = page.getByRole('list', { name: 'Live sources' });
    await expect(sources).toContainText(/pump-e2e: [1-9]\d* polls · [1-9]\d* ok · 0 timeouts · 0 CRC errors/, { timeout: 15_000 });
    await page.getByRole('checkbox', { name: 'All of pump-e2e', exact: true }).check({ timeout: 15_000 });
    await expect(page.locator('tr[data-series="pump-e2e/modbus/temp[degC]"]').getByTestId('live-value')).toHaveText(/^-20(\.0+)?$/);
    await expect(page.locator('tr[data-series="pump-e2e/modbus/flow[]"]').getByTestId('live-value')).toHaveText(/^25(\.0+)?$/);
    await page.screenshot({ path: `${SCREENSHOTS}telemetry-modbus.png` });

    await sources.getByRole('button', { name: 'Stop' }).click();
    await expect(sources).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    await slave.stop();
    await pair.stop();
  }
});
