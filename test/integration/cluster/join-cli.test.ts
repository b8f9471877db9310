import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFieldkit } from '../../harness/cli-run.js';
import { TOKEN_ENV } from '../../../electron/cli/commands/cluster-join.js';
import { IndexClient } from '../../../electron/services/index/index-client.js';
import { indexDirOf } from '../../../electron/services/index/index-client.js';
import { K3S_RELEASE_DIR, startK3sGateway, type K3sGateway } from '../../harness/k3s-gateway.js';
import { startKubeApiServer, type KubeApiServer } from '../../harness/kube-api/index.js';

let api: KubeApiServer;
let gw: K3sGateway;
let dataDir: string;

beforeAll(async () => {
  api = await startKubeApiServer({ seed: 'empty', nodeReadyDelayMs: 300 });
  gw = await startK3sGateway({ api, hostname: 'gw-cli' });
  dataDir = await mkdtemp(join(tmpdir(), 'fk-join-cli-'));
}, 60_000);
afterAll(async () => {
  await gw?.stop();
  await api?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const fieldkit = (...args: string[]) => runFieldkit(['--data-dir', dataDir, ...args]);

const ssh = () => ['--ssh', `root@127.0.0.1`, '--port', String(gw.port), '--identity', gw.privateKeyPath, '--known-hosts', join(dataDir, 'known_hosts'), '--strict-host-keys', 'accept-new'];

describe('fieldkit cluster join', () => {
  it('needs a token and says where to put it', async () => {
    const r = await fieldkit('cluster', 'join', ...ssh(), '--server', api.url, '--kubeconfig', api.kubeconfigPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no token: set ${TOKEN_ENV}`);
  });

  it('joins with the token from the environment and an air-gap bundle, printing the steps', async () => {
    process.env[TOKEN_ENV] = api.joinToken;
    try {
      const r = await fieldkit('cluster', 'join', ...ssh(), '--server', api.url, '--bundle', K3S_RELEASE_DIR, '--label', 'site=cli', '--kubeconfig', api.kubeconfigPath);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('bundle: v1.31.4+k3s1/amd64 verified and cached');
      expect(r.stdout.split('\n').filter((l) => /^[✓…✗-] /.test(l))).toEqual([
        '… preflight',
        '✓ preflight',
        '… token',
        expect.stringMatching(/^✓ token: server CA verified/),
        '… upload',
        '✓ upload: K3s v1.31.4+k3s1 (amd64)',
        '… config',
        '✓ config: /etc/rancher/k3s/config.yaml (mode 0600)',
        '… install',
        '✓ install',
        '… start',
        '✓ start',
        '… ready',
        '✓ ready: node gw-cli is Ready',
      ]);
      expect(r.stdout).toContain('node gw-cli is Ready');
      expect(r.stdout).not.toContain(api.joinToken.split('::server:')[1]);
      expect(await readFile(gw.path('/etc/rancher/k3s/config.yaml'), 'utf8')).toContain('  - "site=cli"');
    } finally {
      delete process.env[TOKEN_ENV];
    }
    const index = await IndexClient.open(indexDirOf(dataDir));
    try {
      const page = await index.search('device:gw-cli registered', { limit: 10 });
      expect(page.hits.map((h) => h.labels)).toContainEqual(expect.objectContaining({ device: 'gw-cli', source: 'journald', unit: 'k3s-agent' }));
    } finally {
      await index.close();
    }
  }, 60_000);
});
