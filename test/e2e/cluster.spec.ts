import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { K3S_RELEASE_DIR, startK3sGateway } from '../harness/k3s-gateway.js';
import { DEMO, startKubeApiServer, type KubeApiServer, type Pod } from '../harness/kube-api/index.js';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `cluster-${name}.png`) });

/** Page errors and CSP refusals: both must stay empty. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** From the empty Cluster section: add the API server's kubeconfig and wait for the live watch. */
async function addKubeconfig(page: Page, api: KubeApiServer): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Cluster', exact: true }).click();
  await expect(page.getByText('No cluster connected')).toBeVisible();
  await page.getByRole('button', { name: 'Add kubeconfig…' }).click();
  await page.getByLabel('Kubeconfig file').fill(api.kubeconfigPath);
  await page.getByRole('form', { name: 'Add kubeconfig' }).getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('cluster-link')).toHaveText('Live');
}

const podsOf = (api: KubeApiServer): Pod[] => api.store.list('pods').items as Pod[];
const podRow = (page: Page, name: string) => page.getByRole('grid', { name: 'Pods' }).getByRole('row').filter({ hasText: name });

test.describe('inspecting the demo cluster', () => {
  let api: KubeApiServer;
  test.beforeEach(async () => {
    api = await startKubeApiServer({ seed: 'demo' });
  });
  test.afterEach(async () => {
    await api?.stop();
  });

  test('nodes, pods, a crash-looping pod’s logs, events and YAML, live changes, a delete, then the offline snapshot', async ({ page, app }) => {
    const problems = watchProblems(page);
    await page.goto(app.url);
    await addKubeconfig(page, api);

    const crashPod = podsOf(api).find((p) => p.metadata.namespace === 'iot-edge' && p.metadata.name.startsWith('opcua-gateway-'))!.metadata.name;
    const total = podsOf(api).length;
    await expect(page.getByTestId('pod-count')).toHaveText(`${total} pods`);
    await expect(podRow(page, crashPod)).toContainText('CrashLoopBackOff');
    await expect(podRow(page, crashPod)).toHaveClass(/tone-bad/);
    await expect(podRow(page, crashPod)).toContainText(/\d+ \(\d+\w+ ago\)/);
    await shot(page, 'pods');

    // Nodes: the NotReady one and the one under memory pressure.
    await page.getByRole('tab', { name: 'Nodes' }).click();
    const nodes = page.getByRole('grid', { name: 'Nodes' });
    await expect(page.getByTestId('node-count')).toHaveText(`${DEMO.nodes.length} nodes`);
    await expect(nodes.getByRole('row').filter({ hasText: DEMO.notReadyNode })).toContainText('NotReady');
    await expect(nodes.getByRole('row').filter({ hasText: 'gw-agent-02' })).toContainText('MemoryPressure');
    await nodes.getByRole('row').filter({ hasText: 'gw-server-01' }).dblclick();
    await expect(page.getByRole('complementary', { name: 'Details of gw-server-01' })).toContainText('control-plane');
    await shot(page, 'nodes');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('complementary')).toBeHidden();

    // k9s keys: / filters, Enter goes to the table and opens the pod; the drawer opens on its logs.
    await page.getByRole('tab', { name: 'Pods' }).click();
    await page.getByRole('grid', { name: 'Pods' }).focus();
    await page.keyboard.press('/');
    await expect(page.getByLabel('Filter pods')).toBeFocused();
    await page.keyboard.type('opcua');
    await expect(page.getByTestId('pod-count')).toHaveText(`1 of ${total} pods`);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('grid', { name: 'Pods' })).toBeFocused();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('complementary', { name: `Details of ${crashPod}` });
    await expect(drawer).toBeVisible();
    const logs = drawer.getByRole('log', { name: `Logs of ${crashPod}` });
    await expect(logs).toContainText('connecting to opc.tcp://plc-01.local:4840');
    await expect(logs).not.toContainText('panic');
    await drawer.getByLabel('Previous container').check();
    await expect(logs).toContainText('panic: cannot open secure channel');
    await drawer.getByLabel('Previous container').uncheck();
    await expect(logs).toContainText('connecting to opc.tcp://plc-01.local:4840');
    // Following: a line written now shows up.
    api.store.appendLog('iot-edge', crashPod, 'e2e: a line written while following');
    await expect(logs).toContainText('e2e: a line written while following');
    await shot(page, 'pod-logs');

    await drawer.getByRole('tab', { name: 'Events' }).click();
    const events = drawer.getByRole('table', { name: `Events of ${crashPod}` });
    await expect(events).toContainText('Back-off restarting failed container');
    await expect(events.getByRole('row').filter({ hasText: 'BackOff' })).toContainText(/\(x31 over 5\dm\)/);
    // `y` on the selected row switches the drawer to the YAML.
    await podRow(page, crashPod).click();
    await page.keyboard.press('y');
    await expect(drawer.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true');
    const yaml = drawer.getByLabel(`YAML of ${crashPod}`);
    await expect(yaml).toContainText('kind: Pod');
    await expect(yaml).toContainText(`name: ${crashPod}`);
    await expect(yaml).toContainText('CrashLoopBackOff');
    await shot(page, 'pod-yaml');
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();

    // A change made on the server appears live.
    await page.getByLabel('Filter pods').fill('');
    api.store.addPod({ namespace: 'default', name: 'e2e-live-pod', node: 'gw-agent-01', containers: [{ name: 'main', image: 'busybox:1.36' }] });
    await expect(podRow(page, 'e2e-live-pod')).toContainText('Running');
    await expect(page.getByTestId('pod-count')).toHaveText(`${total + 1} pods`);
    api.store.restartContainer('default', 'e2e-live-pod', { crashLoop: true });
    await expect(podRow(page, 'e2e-live-pod')).toContainText('CrashLoopBackOff');
    await expect(podRow(page, 'e2e-live-pod')).toContainText(/1 \(\d+s ago\)/);

    // Delete with Ctrl+D and a confirmation.
    await podRow(page, 'e2e-live-pod').click();
    await page.keyboard.press('Control+d');
    const confirm = page.getByRole('dialog', { name: 'Delete pod' });
    await expect(confirm).toContainText('e2e-live-pod');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(podRow(page, 'e2e-live-pod')).toHaveCount(0);
    expect(podsOf(api).some((p) => p.metadata.name === 'e2e-live-pod')).toBe(false);

    // `s` opens a shell in the container (xterm.js over cluster.exec); a port-forward reaches a pod port.
    await podRow(page, 'debug-shell').click();
    await page.keyboard.press('s');
    const shellDrawer = page.getByRole('complementary', { name: 'Details of debug-shell' });
    await expect(shellDrawer.getByRole('tab', { name: 'Shell' })).toHaveAttribute('aria-selected', 'true');
    await expect(shellDrawer.locator('.xterm')).toBeVisible();
    await shellDrawer.locator('.xterm').click();
    await page.keyboard.type("printf 'fieldkit-%s-ok\\n' $((6*7))\n");
    await expect(shellDrawer.locator('.xterm-rows')).toContainText('fieldkit-42-ok');
    await shot(page, 'pod-shell');
    await shellDrawer.getByRole('button', { name: '+ Port-forward…' }).click();
    await shellDrawer.getByLabel('Pod port').fill('8080');
    await shellDrawer.getByRole('button', { name: 'Forward', exact: true }).click();
    const forward = shellDrawer.getByTestId('port-forward');
    await expect(forward).toContainText(/127\.0\.0\.1:\d+ → port 8080/);
    const localPort = /127\.0\.0\.1:(\d+)/.exec((await forward.textContent())!)![1];
    expect(await (await fetch(`http://127.0.0.1:${localPort}/`)).text()).toBe('hello from default/debug-shell:8080\n');
    await forward.getByRole('button', { name: 'Stop' }).click();
    await expect(forward).toHaveCount(0);
    await page.getByRole('button', { name: 'Close details' }).click();

    // Rollout restart of a Deployment from one of its pods: every pod is replaced.
    const bridgePods = () => podsOf(api).filter((p) => p.metadata.name.startsWith('mqtt-bridge-')).map((p) => p.metadata.name);
    const before = bridgePods();
    await podRow(page, before[0]).dblclick();
    const bridge = page.getByRole('complementary', { name: `Details of ${before[0]}` });
    await bridge.getByRole('button', { name: 'Restart Deployment' }).click();
    const restart = page.getByRole('dialog', { name: 'Rollout restart' });
    await expect(restart).toContainText('Restart Deployment mqtt-bridge?');
    await restart.getByRole('button', { name: 'Restart' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Restarting Deployment iot-edge/mqtt-bridge' })).toBeVisible();
    await expect.poll(() => bridgePods().filter((name) => before.includes(name)), { timeout: 20_000 }).toEqual([]);
    for (const name of before) await expect(podRow(page, name)).toHaveCount(0);
    await expect(page.getByRole('grid', { name: 'Pods' }).getByRole('row').filter({ hasText: 'mqtt-bridge-' })).toHaveCount(before.length);
    await expect(bridge).toContainText('This pod is gone');
    await page.keyboard.press('Escape');

    // The network goes away: the snapshot stays, read-only, with its time.
    await api.pause();
    const banner = page.getByTestId('cluster-offline');
    await expect(banner).toContainText(/Offline — showing the snapshot as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, { timeout: 30_000 });
    await expect(page.getByTestId('cluster-link')).toHaveText('Offline');
    await expect(podRow(page, crashPod)).toContainText('CrashLoopBackOff');
    await podRow(page, crashPod).dblclick();
    await expect(drawer.getByRole('button', { name: 'Delete pod' })).toBeDisabled();
    await expect(drawer.getByRole('button', { name: 'Restart Deployment' })).toBeDisabled();
    await expect(drawer.getByRole('tab', { name: 'Shell' })).toBeDisabled();
    await shot(page, 'offline');

    // A fresh window while the cluster is still unreachable shows the persisted snapshot at once.
    await page.reload();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Cluster', exact: true }).click();
    await expect(page.getByTestId('cluster-offline')).toContainText(/Offline — showing the snapshot as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, { timeout: 30_000 });
    await expect(podRow(page, crashPod)).toContainText('CrashLoopBackOff');
    await expect(page.getByTestId('pod-count')).toHaveText(`${podsOf(api).length} pods`);
    await podRow(page, crashPod).dblclick();

    await api.resume();
    await expect(page.getByTestId('cluster-link')).toHaveText('Live', { timeout: 30_000 });
    await expect(banner).toBeHidden();
    await expect(drawer.getByRole('button', { name: 'Delete pod' })).toBeEnabled();

    expect(problems).toEqual([]);
  });
});

test('50 nodes and 1,000 pods: only the visible rows are drawn, scrolling, filtering and live updates keep up', async ({ page, app }) => {
  const api = await startKubeApiServer({ seed: { nodes: 50, pods: 1000 } });
  try {
    const problems = watchProblems(page);
    await page.goto(app.url);
    await addKubeconfig(page, api);
    await expect(page.getByTestId('pod-count')).toHaveText('1000 pods');
    const grid = page.getByRole('grid', { name: 'Pods' });
    await expect(grid).toHaveAttribute('aria-rowcount', '1001');
    expect(await grid.locator('.vt-row').count()).toBeLessThan(80);

    // Scroll to the end: the last pods (sorted by namespace, then name) are drawn, the first are not.
    const names = podsOf(api).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
      .sort(new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare);
    const lastName = names.at(-1)!.split('/')[1];
    const firstName = names[0].split('/')[1];
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(podRow(page, lastName)).toBeVisible();
    await expect(podRow(page, firstName)).toHaveCount(0);
    await shot(page, 'scale-scrolled');

    // Keyboard: Home selects the first pod and scrolls it back into view.
    await grid.focus();
    await page.keyboard.press('Home');
    await expect(podRow(page, firstName)).toHaveAttribute('aria-selected', 'true');
    await expect(podRow(page, firstName)).toBeInViewport();
    await page.keyboard.press('j');
    await expect(podRow(page, names[1].split('/')[1])).toHaveAttribute('aria-selected', 'true');

    // Every 25th pod crash-loops: the filter finds all 40, the namespace select narrows them.
    await page.getByLabel('Filter pods').fill('crashloop');
    await expect(page.getByTestId('pod-count')).toHaveText('40 of 1000 pods');
    await page.getByLabel('Namespace').selectOption('team-03');
    const inTeam3 = podsOf(api).filter((p) => p.metadata.namespace === 'team-03' && p.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff').length;
    await expect(page.getByTestId('pod-count')).toHaveText(`${inTeam3} of 1000 pods`);
    await page.getByLabel('Namespace').selectOption('');
    await page.getByLabel('Filter pods').fill('');

    // A live change to one pod among 1,000 touches that row only (the age and restart clocks aside).
    const target = podsOf(api).find((p) => p.metadata.namespace === names[3].split('/')[0] && p.metadata.name === names[3].split('/')[1])!;
    // Browser-side code as text: this file is type-checked without the DOM library.
    await page.evaluate(`(() => {
      const el = document.querySelector('[role=grid][aria-label=Pods]');
      el.scrollTop = 0;
      const touched = new Set();
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
          if (node?.closest('.vt-age, .vt-restarts')) continue;
          const key = node?.closest('.vt-row')?.dataset.key;
          if (key) touched.add(key);
        }
      });
      observer.observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
      window.touchedRows = () => (observer.disconnect(), [...touched]);
    })()`);
    api.store.restartContainer(target.metadata.namespace!, target.metadata.name, { crashLoop: true });
    await expect(podRow(page, target.metadata.name)).toContainText('CrashLoopBackOff');
    expect(await page.evaluate('window.touchedRows()')).toEqual([names[3]]);

    // Smoothness, measured (not asserted): frame times while scrolling through all 1,000 rows.
    const frames: number[] = await page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector('[role=grid][aria-label=Pods]');
      const frames = [];
      let last = performance.now();
      const step = () => {
        const now = performance.now();
        frames.push(now - last);
        last = now;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight) return resolve(frames);
        el.scrollTop += 400;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })`);
    const sorted = frames.slice(1).sort((a, b) => a - b);
    const figure = `${sorted.length} frames, median ${sorted[sorted.length >> 1].toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms, longest ${sorted.at(-1)!.toFixed(1)} ms`;
    test.info().annotations.push({ type: 'frames while scrolling 1,000 pods', description: figure });
    console.log(`frames while scrolling 1,000 pods (400 px a frame): ${figure}`);

    await page.getByRole('tab', { name: 'Nodes' }).click();
    await expect(page.getByTestId('node-count')).toHaveText('50 nodes');
    await page.getByRole('grid', { name: 'Nodes' }).getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await expect(page.getByRole('grid', { name: 'Nodes' }).getByRole('row').nth(1)).toContainText('node-050');
    await shot(page, 'scale-nodes');
    expect(problems).toEqual([]);
  } finally {
    await api.stop();
  }
});

/** A saved gateway for an SSH server, connected with its host key trusted: what a technician does in Devices. */
async function connectGateway(page: Page, gateway: { name: string; port: number; keyPath: string }): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Devices', exact: true }).click();
  await page.getByRole('button', { name: 'Add gateway' }).click();
  const form = page.getByRole('form', { name: 'Add gateway' });
  await form.getByLabel('Name', { exact: true }).fill(gateway.name);
  await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await form.getByLabel('Port', { exact: true }).fill(String(gateway.port));
  await form.getByLabel('User', { exact: true }).fill('root');
  await form.getByLabel('Key file on this machine').fill(gateway.keyPath);
  await form.getByRole('button', { name: 'Save gateway' }).click();
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust and remember' }).click();
  await expect(page.getByTestId('connection-state')).toHaveText('connected');
}

test('joins a stand-in gateway and sees the node turn Ready', async ({ page, app }) => {
  test.setTimeout(120_000);
  const api = await startKubeApiServer({ seed: 'empty', nodeReadyDelayMs: 300 });
  const gw = await startK3sGateway({ api, hostname: 'gw-e2e-join' });
  try {
    const problems = watchProblems(page);
    await page.goto(app.url);
    await connectGateway(page, { name: 'gw-e2e-join', port: gw.port, keyPath: gw.privateKeyPath });
    await addKubeconfig(page, api);

    await page.getByRole('tab', { name: 'Join a gateway' }).click();
    const panel = (name: string) => page.getByRole('region', { name });
    await panel('Gateway').getByLabel('Gateway SSH connection').selectOption({ label: 'gw-e2e-join' });
    await page.getByRole('button', { name: 'Next: Server and token' }).click();
    await expect(panel('Server and token').getByLabel('Server URL')).toHaveValue(api.url);
    await panel('Server and token').getByLabel('Join token').fill(api.joinToken);
    await expect(panel('Server and token').getByLabel('Join token')).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: 'Next: K3s install' }).click();

    await panel('K3s install').getByLabel('Bundle folder').fill(K3S_RELEASE_DIR);
    await panel('K3s install').getByRole('button', { name: 'Import' }).click();
    await expect(panel('K3s install').getByRole('status')).toContainText('Imported and verified v1.31.4+k3s1 for amd64', { timeout: 30_000 });
    await expect(panel('K3s install').getByLabel('Bundle', { exact: true })).toHaveValue('v1.31.4+k3s1/amd64');
    await page.getByRole('button', { name: 'Next: Node' }).click();
    await panel('Node').getByLabel('Labels').fill('site=e2e');
    await page.getByRole('button', { name: 'Next: Preflight' }).click();

    await panel('Preflight').getByRole('button', { name: 'Run the preflight checks' }).click();
    const checks = panel('Preflight').getByRole('list', { name: 'Preflight checks' });
    await expect(checks.locator('[data-check=arch]')).toHaveClass(/check-ok/, { timeout: 30_000 });
    await expect(checks.locator('[data-check=hostname]')).toHaveClass(/check-ok/);
    await expect(checks.locator('.check-fail')).toHaveCount(0);
    await shot(page, 'join-preflight');
    await page.getByRole('button', { name: 'Next: Join' }).click();

    await panel('Join').getByRole('button', { name: 'Join the gateway' }).click();
    const steps = panel('Join').getByRole('list', { name: 'Join steps' });
    await expect(panel('Join').getByText('gw-e2e-join joined the cluster and is Ready.')).toBeVisible({ timeout: 90_000 });
    for (const step of ['preflight', 'token', 'upload', 'config', 'install', 'start', 'ready']) await expect(steps.locator(`[data-step=${step}]`)).toHaveAttribute('data-state', 'done');
    await expect(panel('Join').getByRole('log', { name: 'k3s-agent journal' })).not.toHaveText('No journal lines yet.');
    await shot(page, 'join');
    expect(await gw.calls()).toContain('k3s agent registered gw-e2e-join');

    // Re-flashed: the old node password refuses the agent; the diagnosis offers the one-click recovery.
    const firstUid = api.store.node('gw-e2e-join').metadata.uid;
    await gw.reflash();
    await panel('Join').getByRole('button', { name: 'Run the join again' }).click();
    const diagnosis = panel('Join').locator('[data-diagnosis=node-password-rejected]');
    await expect(diagnosis).toContainText('Node password rejected', { timeout: 90_000 });
    await expect(panel('Join').getByRole('alert').filter({ hasText: 'the node did not join' })).toBeVisible({ timeout: 90_000 });
    await expect(steps.locator('[data-step=ready]')).toHaveAttribute('data-state', 'failed');
    await diagnosis.scrollIntoViewIfNeeded();
    await shot(page, 'join-diagnosis');
    await diagnosis.getByRole('button', { name: 'Delete the old node gw-e2e-join and its password' }).click();
    await expect(panel('Join').getByText('gw-e2e-join joined the cluster and is Ready.')).toBeVisible({ timeout: 90_000 });
    expect(api.store.node('gw-e2e-join').metadata.uid).not.toBe(firstUid);

    await panel('Join').getByRole('button', { name: 'Show the node' }).click();
    const row = page.getByRole('grid', { name: 'Nodes' }).getByRole('row').filter({ hasText: 'gw-e2e-join' });
    await expect(row).toContainText('Ready');
    await expect(row).not.toContainText('NotReady');
    await expect(row).toHaveAttribute('aria-selected', 'true');
    expect(api.store.node('gw-e2e-join').metadata.labels).toMatchObject({ site: 'e2e' });
    await shot(page, 'join-node');

    // Leave: drain, delete the node, uninstall the agent.
    await page.getByRole('grid', { name: 'Nodes' }).focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('complementary', { name: 'Details of gw-e2e-join' });
    await drawer.getByRole('tab', { name: 'Leave' }).click();
    await expect(drawer.getByLabel('Gateway SSH connection')).toHaveValue(/.+/);
    page.once('dialog', (dialog) => void dialog.accept());
    await drawer.getByRole('button', { name: 'Leave the cluster' }).click();
    await expect(drawer.getByRole('status')).toHaveText('gw-e2e-join has left the cluster.', { timeout: 60_000 });
    for (const step of ['drain', 'delete', 'uninstall']) await expect(drawer.locator(`[data-step=${step}]`)).toHaveAttribute('data-state', 'done');
    await expect(page.getByRole('complementary', { name: 'Details of gw-e2e-join' })).toContainText('no longer in the cluster');
    await expect(row).toHaveCount(0);
    expect(await gw.calls()).toContain('k3s-agent-uninstall.sh');
    expect(problems).toEqual([]);
  } finally {
    await gw.stop();
    await api.stop();
  }
});

test('adds a K3s server over its SSH connection, then joins a gateway with a short-lived token created on that server', async ({ page, app }) => {
  test.setTimeout(120_000);
  const api = await startKubeApiServer({ seed: 'demo', nodeReadyDelayMs: 300 });
  const server = await startK3sGateway({ api, role: 'server', hostname: 'k3s-server' });
  const agent = await startK3sGateway({ api, hostname: 'gw-ttl' });
  try {
    // K3s writes its kubeconfig for https://127.0.0.1:6443; FieldKit tunnels to the port the technician names.
    const k3sYaml = server.path('/etc/rancher/k3s/k3s.yaml');
    await mkdir(dirname(k3sYaml), { recursive: true });
    await writeFile(k3sYaml, (await readFile(api.kubeconfigPath, 'utf8')).replace(api.url, 'https://127.0.0.1:6443'), { mode: 0o600 });
    const apiPort = new URL(api.url).port;

    const problems = watchProblems(page);
    await page.goto(app.url);
    await connectGateway(page, { name: 'k3s-server', port: server.port, keyPath: server.privateKeyPath });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Cluster', exact: true }).click();
    await page.getByRole('button', { name: 'Add K3s server over SSH…' }).click();
    const form = page.getByRole('form', { name: 'Add K3s server' });
    await form.getByLabel('K3s server connection').selectOption({ label: 'k3s-server' });
    await form.getByLabel('API port on the server').fill(apiPort);
    await form.getByLabel('Context name').fill('plant-3');
    await form.getByRole('button', { name: 'Add' }).click();

    await expect(page.getByTestId('cluster-link')).toHaveText('Live');
    await expect(page.getByLabel('Cluster context').locator('option:checked')).toHaveText(/^plant-3 · over SSH/);
    await expect(page.locator('.context-server')).toHaveText(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(page.locator('.context-server')).not.toHaveText(api.url);
    await expect(page.getByTestId('pod-count')).toHaveText(`${podsOf(api).length} pods`);
    await expect(podRow(page, 'debug-shell')).toContainText('Running');
    await shot(page, 'add-server');

    // The join creates a short-lived token on the server over its SSH connection (`k3s token create --ttl`: a
    // bootstrap token the API server accepts until it expires), and its Ready wait goes through the same tunnel.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Devices', exact: true }).click();
    await page.getByRole('button', { name: 'Back to gateways' }).click();
    await connectGateway(page, { name: 'gw-ttl', port: agent.port, keyPath: agent.privateKeyPath });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Cluster', exact: true }).click();
    await page.getByRole('tab', { name: 'Join a gateway' }).click();
    const panel = (name: string) => page.getByRole('region', { name });
    await panel('Gateway').getByLabel('Gateway SSH connection').selectOption({ label: 'gw-ttl' });
    await page.getByRole('button', { name: 'Next: Server and token' }).click();
    await panel('Server and token').getByLabel('Server URL').fill(api.url);
    await panel('Server and token').getByRole('radio', { name: 'Create a short-lived one on the server' }).check();
    await panel('Server and token').getByLabel('K3s server connection').selectOption({ label: 'k3s-server' });
    await panel('Server and token').getByLabel('Token lifetime').fill('2h');
    await page.getByRole('button', { name: 'Next: K3s install' }).click();
    await panel('K3s install').getByLabel('Bundle folder').fill(K3S_RELEASE_DIR);
    await panel('K3s install').getByRole('button', { name: 'Import' }).click();
    await expect(panel('K3s install').getByRole('status')).toContainText('Imported and verified', { timeout: 30_000 });
    await page.getByRole('navigation', { name: 'Join wizard' }).getByRole('button', { name: /Join$/ }).click();
    await panel('Join').getByRole('button', { name: 'Join the gateway' }).click();
    await expect(panel('Join').getByText('gw-ttl joined the cluster and is Ready.')).toBeVisible({ timeout: 90_000 });
    await panel('Join').getByRole('button', { name: 'Show the node' }).click();
    await expect(page.getByRole('grid', { name: 'Nodes' }).getByRole('row').filter({ hasText: 'gw-ttl' })).toContainText('Ready');
    expect(await server.calls()).toContain('k3s token create --ttl 2h');
    expect(api.store.list('secrets', { namespace: 'kube-system' }).items.filter((s) => s.type === 'bootstrap.kubernetes.io/token')).toHaveLength(1);
    expect(problems).toEqual([]);
  } finally {
    await agent.stop();
    await server.stop();
    await api.stop();
  }
});
