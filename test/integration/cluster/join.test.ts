import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K3S_RELEASE_DIR } from '../../harness/k3s-gateway.js';
import { everythingSeen, startJoinEnv, stepTrail, type JoinEnv } from './join-env.js';

let env: JoinEnv;
beforeAll(async () => void (env = await startJoinEnv()), 60_000);
afterAll(() => env?.close());

const modeOf = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);
const password = () => env.api.joinToken.split('::server:')[1];

describe('join a stand-in gateway (air-gap)', () => {
  it('writes the files, runs the steps in order, streams the journal and the node turns Ready', async () => {
    const gw = await env.gateway('gw-a', { hostname: 'gw-a' });
    const { events, error } = await env.join(env.plan({ gatewayConnectionId: 'gw-a', labels: ['site=north'], taints: ['edge=true:NoSchedule'] }));
    expect(error).toBeUndefined();

    expect(stepTrail(events)).toEqual([
      'preflight:running',
      'preflight:done',
      'token:running',
      'token:done',
      'upload:running',
      'upload:done',
      'config:running',
      'config:done',
      'install:running',
      'install:done',
      'start:running',
      'start:done',
      'ready:running',
      'ready:done',
    ]);
    expect(events.at(-1)).toEqual({ type: 'done', nodeName: 'gw-a' });
    const token = events.find((e) => e.type === 'step' && e.step === 'token' && e.state === 'done');
    expect(token).toMatchObject({ detail: expect.stringMatching(/^server CA verified/) });

    const progress = events.filter((e) => e.type === 'progress');
    const files = ['k3s', 'k3s-airgap-images-amd64.tar.gz', 'install.sh'];
    const total = (await Promise.all(files.map((f) => stat(join(K3S_RELEASE_DIR, f))))).reduce((s, f) => s + f.size, 0);
    expect(progress.at(-1)).toMatchObject({ step: 'upload', bytesDone: total, bytesTotal: total });

    const config = gw.path('/etc/rancher/k3s/config.yaml');
    expect(await readFile(config, 'utf8')).toBe(
      [
        `server: "${env.api.url}"`,
        `token: "${env.api.joinToken}"`,
        'node-name: "gw-a"',
        'node-label:',
        '  - "site=north"',
        'node-taint:',
        '  - "edge=true:NoSchedule"',
        '',
      ].join('\n'),
    );
    expect(await modeOf(config)).toBe('600');
    expect(await readFile(gw.path('/usr/local/bin/k3s'))).toEqual(await readFile(join(K3S_RELEASE_DIR, 'k3s')));
    expect(await modeOf(gw.path('/usr/local/bin/k3s'))).toBe('755');
    const images = gw.path('/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.gz');
    expect(await readFile(images)).toEqual(await readFile(join(K3S_RELEASE_DIR, 'k3s-airgap-images-amd64.tar.gz')));
    expect(await modeOf(images)).toBe('644');
    expect(await modeOf(gw.path('/usr/local/bin/k3s-install.sh'))).toBe('755');
    expect(await modeOf(gw.path('/etc/systemd/system/k3s-agent.service.env'))).toBe('600');

    const calls = await gw.calls();
    const order = [
      'install.sh  INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_EXEC=agent INSTALL_K3S_SKIP_START=true',
      'systemctl enable k3s-agent',
      'systemctl daemon-reload',
      'systemctl stop k3s-agent',
      'systemctl start k3s-agent',
      'k3s agent ',
      'k3s agent registered gw-a',
    ];
    expect(calls.filter((c) => order.includes(c))).toEqual(order);
    // the journal is followed, to the microsecond, from after an earlier agent was stopped
    const follow = calls.findIndex((c) => /^journalctl -o export --no-pager --since @\d+\.\d{6} -u k3s-agent -f$/.test(c));
    expect(follow).toBeGreaterThan(calls.indexOf('systemctl stop k3s-agent'));

    const node = env.api.store.node('gw-a');
    expect(node.metadata.labels).toMatchObject({ site: 'north' });
    expect(node.spec?.taints).toEqual([{ key: 'edge', value: 'true', effect: 'NoSchedule' }]);
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    const journal = events.filter((e) => e.type === 'journal');
    expect(journal.some((e) => e.line.includes('Successfully registered node gw-a'))).toBe(true);
    const indexed = env.sink.durable.filter((r) => r.labels.device === 'gw-a');
    expect(indexed.length).toBeGreaterThanOrEqual(journal.length);
    expect(indexed[0].labels).toEqual({ device: 'gw-a', source: 'journald', unit: 'k3s-agent' });

    const seen = everythingSeen(events, env.sink);
    expect(seen).not.toContain(env.api.joinToken);
    expect(seen).not.toContain(password());
  }, 60_000);

  it('adds a unique id to the node name with --with-node-id', async () => {
    const gw = await env.gateway('gw-id', { hostname: 'gw-id' });
    const { events, error } = await env.join(env.plan({ gatewayConnectionId: 'gw-id', withNodeId: true }));
    expect(error).toBeUndefined();
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', nodeName: expect.stringMatching(/^gw-id-[0-9a-f]{8}$/) });
    expect(await readFile(gw.path('/etc/rancher/k3s/config.yaml'), 'utf8')).toContain('node-name: "gw-id"\nwith-node-id: true\n');
    expect(env.api.store.node((done as { nodeName: string }).nodeName).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }, 60_000);

  it('stops when cancelled, before the next step', async () => {
    const gw = await env.gateway('gw-c', { hostname: 'gw-c' });
    const abort = new AbortController();
    const events: string[] = [];
    const joined = env.service.join(
      env.plan({ gatewayConnectionId: 'gw-c' }),
      (e) => {
        if (e.type === 'step') events.push(`${e.step}:${e.state}`);
        if (e.type === 'step' && e.step === 'config' && e.state === 'running') abort.abort();
      },
      abort.signal,
    );
    await expect(joined).rejects.toThrow('The join was cancelled.');
    expect(events.at(-1)).toBe('config:running');
    expect((await gw.calls()).some((c) => c.startsWith('install.sh'))).toBe(false);
  }, 60_000);
});
