import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterWatchEvent } from '../../../shared/contract/cluster.js';
import { startKubeApiServer, type KubeApiServer } from '../../../test/harness/kube-api/index.js';
import { ClusterWatch } from './cluster-watch.js';
import { kubeConfigFor } from './contexts.js';
import { KubeHttp } from './kube-http.js';
import { SnapshotStore } from './snapshot-store.js';

let api: KubeApiServer;
let dir: string;
beforeAll(async () => {
  api = await startKubeApiServer({ seed: 'demo' });
  dir = await mkdtemp(join(tmpdir(), 'fk-cluster-watch-'));
});
afterAll(async () => {
  await api?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ClusterWatch', () => {
  it('stays live when the snapshot cannot be saved, and says so on the state', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    const watch = new ClusterWatch({
      contextId: 'ctx',
      server: api.url,
      connect: async () => new KubeHttp(kubeConfigFor(api.kubeconfigPath, 'default')),
      snapshots: new SnapshotStore(join(blocker, 'snapshots')),
      persistMs: 0,
    });
    const events: ClusterWatchEvent[] = [];
    await watch.start();
    const stop = watch.subscribe((event) => events.push(event));
    const last = () => events.filter((e) => e.type === 'state').at(-1);
    await expect.poll(last, { timeout: 10_000 }).toMatchObject({ state: 'live', message: expect.stringMatching(/^The offline snapshot could not be saved: ENOTDIR/), hint: expect.stringContaining('Free space') });
    expect(events.find((e) => e.type === 'reset')).toBeDefined();
    stop();
    await watch.stop();
  });
});
