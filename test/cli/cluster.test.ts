import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodView } from '../../shared/contract/cluster.js';
import { startCli } from '../harness/cli-run.js';
import { freePort } from '../harness/sshd.js';
import { startKubeApiServer, type KubeApiServer } from '../harness/kube-api/index.js';

const run = promisify(execFile);
let api: KubeApiServer;
let dataDir: string;

beforeAll(async () => {
  api = await startKubeApiServer({ seed: 'demo' });
  dataDir = await mkdtemp(join(tmpdir(), 'fk-cluster-cli-'));
});
afterAll(async () => {
  await api?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const fieldkit = (args: string[], signal?: AbortSignal) => startCli(['--data-dir', dataDir, ...args], signal && { signal });
const cluster = (...args: string[]) => fieldkit(['cluster', ...args, '--kubeconfig', api.kubeconfigPath]).done;

/** The real kubectl against the same server (asynchronously: the server runs in this process). */
async function kubectl(...args: string[]): Promise<string> {
  return (await run('kubectl', ['--kubeconfig', api.kubeconfigPath, ...args])).stdout;
}

/** Seconds tick between two runs: only the numbers in `(… ago)` may differ. */
const steady = (table: string) => table.replace(/\(\d+s ago\)/g, '(Ns ago)');

const iotPod = (prefix: string) => api.store.list('pods', { namespace: 'iot-edge' }).items.find((p) => p.metadata.name.startsWith(prefix))!.metadata.name;

describe('fieldkit cluster nodes|pods|events', () => {
  it('prints nodes exactly as kubectl get nodes does', async () => {
    const ours = await cluster('nodes');
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe(await kubectl('get', 'nodes'));
  });

  it('prints pods of all namespaces as kubectl get pods -A does: status, ready, restarts with their age', async () => {
    const ours = await cluster('pods', '-A');
    expect(ours.code).toBe(0);
    expect(steady(ours.stdout)).toBe(steady(await kubectl('get', 'pods', '-A')));
    expect(ours.stdout).toMatch(/opcua-gateway-\S+\s+0\/1\s+CrashLoopBackOff\s+7 \(\d+s ago\)/);
  });

  it("uses the context's namespace (default) or -n, and says when there is nothing", async () => {
    const defaults = await cluster('pods');
    expect(steady(defaults.stdout)).toBe(steady(await kubectl('get', 'pods')));
    const iot = await cluster('pods', '-n', 'iot-edge');
    expect(steady(iot.stdout)).toBe(steady(await kubectl('get', 'pods', '-n', 'iot-edge')));
    const none = await cluster('pods', '-n', 'kube-public');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in kube-public namespace.\n' });
  });

  it('prints the events kubectl prints, with the same LAST SEEN, TYPE, REASON, OBJECT and MESSAGE', async () => {
    const rows = (table: string) =>
      table
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(/ {3,}/).map((cell, i) => (i === 0 ? cell.replace(/\d+s/g, 'Ns') : cell)))
        .sort((a, b) => a.join('|').localeCompare(b.join('|')));
    const ours = await cluster('events', '-n', 'iot-edge');
    expect(ours.code).toBe(0);
    expect(rows(ours.stdout)).toEqual(rows(await kubectl('get', 'events', '-n', 'iot-edge')));
  });

  it('gives the views as JSON with --json', async () => {
    const { stdout } = await cluster('pods', '-n', 'iot-edge', '--json');
    const pods = JSON.parse(stdout) as PodView[];
    expect(pods.find((p) => p.name === iotPod('opcua-gateway-'))).toMatchObject({ status: 'CrashLoopBackOff', restarts: 7, owner: { kind: 'Deployment', name: 'opcua-gateway' } });
  });

  it('explains mistakes and an unreachable server', async () => {
    expect(await cluster('nodes', '-A')).toMatchObject({ code: 2, stderr: expect.stringContaining('nodes belong to no namespace') });
    expect(await cluster('pods', '-n', 'a', '-A')).toMatchObject({ code: 2 });
    expect(await cluster('pods', '-o', 'yaml')).toMatchObject({ code: 2, stderr: expect.stringContaining('-o takes only "wide"') });
    expect(await cluster('pods', '--context', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('has no context "nope"') });
    const noKubeconfig = fieldkit(['cluster', 'pods']);
    expect((await noKubeconfig.done).code).toBe(2);
    expect(noKubeconfig.output.stderr).toContain('no kubeconfig: pass --kubeconfig FILE');

    const closed = join(dataDir, 'closed.yaml');
    await writeFile(closed, (await readFile(api.kubeconfigPath, 'utf8')).replace(api.url, `https://127.0.0.1:${await freePort()}`));
    const down = fieldkit(['cluster', 'nodes', '--kubeconfig', closed]);
    expect((await down.done).code).toBe(1);
    expect(down.output.stderr).toMatch(/cannot be reached \(ECONNREFUSED\)\. Check the network/);
  });
});

describe('fieldkit cluster logs', () => {
  it('prints a container log and indexes its lines once', async () => {
    const pod = iotPod('mqtt-bridge-');
    const first = await cluster('logs', pod, '-n', 'iot-edge');
    expect(first).toMatchObject({ code: 0, stdout: 'connected to mqtt://mosquitto.iot-edge:1883\nsubscribed to sensors/#\nforwarded 512 messages in 60s\nforwarded 498 messages in 60s\n', stderr: '4 new lines indexed\n' });
    const again = await cluster('logs', pod, '-n', 'iot-edge', '--timestamps', '--tail', '1');
    expect(again.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z forwarded 498 messages in 60s\n$/);
    expect(again.stderr).toBe('');
    const search = fieldkit(['search', `pod:${pod}`, '--json']);
    expect((await search.done).code).toBe(0);
    expect(search.output.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('follows until stopped, and reads the previous container', async () => {
    const pod = iotPod('opcua-gateway-');
    const stop = new AbortController();
    const follow = fieldkit(['cluster', 'logs', pod, '-n', 'iot-edge', '-f', '--kubeconfig', api.kubeconfigPath], stop.signal);
    await expect.poll(() => follow.output.stdout, { timeout: 20_000 }).toContain('connecting to opc.tcp://plc-01.local:4840\n');
    api.store.appendLog('iot-edge', pod, 'retrying in 10s');
    await expect.poll(() => follow.output.stdout, { timeout: 10_000 }).toContain('retrying in 10s\n');
    stop.abort();
    expect((await follow.done).code).toBe(0);
    const previous = await cluster('logs', pod, '-n', 'iot-edge', '-p');
    expect(previous.stdout.trim().split('\n').at(-1)).toBe('panic: cannot open secure channel');
    expect(await cluster('logs', pod, '-n', 'iot-edge', '-c', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('has no container "nope". Its containers: opcua-gateway.') });
    expect(await cluster('logs', '-n', 'iot-edge')).toMatchObject({ code: 2, stderr: expect.stringContaining('name one pod') });
  });
});
