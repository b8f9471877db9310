import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventView } from '../../../shared/cluster/event-view.js';
import { nodeView } from '../../../shared/cluster/node-view.js';
import { podView } from '../../../shared/cluster/pod-view.js';
import { SnapshotStore } from './snapshot-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-snapshots-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const data = {
  nodes: [nodeView({ metadata: { name: 'gw-1' } })],
  pods: [podView({ metadata: { name: 'a', namespace: 'shop' } }), podView({ metadata: { name: 'b', namespace: 'ops' } })],
  events: [eventView({ metadata: { name: 'e', namespace: 'shop' } })],
};

describe('SnapshotStore', () => {
  it('writes and reads a snapshot per context and namespace scope, and tells the newest time', async () => {
    const store = new SnapshotStore(dir);
    expect(await store.read('ctx')).toBeUndefined();
    expect(await store.latest('ctx')).toBeNull();
    await store.write('ctx', undefined, { asOf: '2026-11-28T10:00:00.000Z', ...data });
    await store.write('ctx', 'shop', { asOf: '2026-11-28T11:00:00.000Z', ...data, pods: data.pods.slice(0, 1) });
    expect(await store.read('ctx')).toEqual({ asOf: '2026-11-28T10:00:00.000Z', ...data });
    expect((await store.read('ctx', 'shop'))?.pods.map((p) => p.name)).toEqual(['a']);
    expect(await store.latest('ctx')).toBe('2026-11-28T11:00:00.000Z');
    expect(await store.read('other')).toBeUndefined();
  });

  it("serves a namespace without its own snapshot from the all-namespaces one, filtered", async () => {
    const store = new SnapshotStore(dir);
    await store.write('ctx', undefined, { asOf: '2026-11-28T10:00:00.000Z', ...data });
    const ops = await store.read('ctx', 'ops');
    expect(ops).toMatchObject({ asOf: '2026-11-28T10:00:00.000Z', nodes: data.nodes, events: [] });
    expect(ops?.pods.map((p) => p.name)).toEqual(['b']);
  });

  it('forgets a context, and treats a damaged file as no snapshot', async () => {
    const store = new SnapshotStore(dir);
    await store.write('ctx', undefined, { asOf: '2026-11-28T10:00:00.000Z', ...data });
    const [sub] = await readdir(dir);
    await writeFile(join(dir, sub, '_all.json'), '{"asOf":"2026-11-28T10:00:00.000Z","version":1,"contextId":"ctx","nodes":[');
    expect(await store.read('ctx')).toBeUndefined();
    await store.remove('ctx');
    expect(await readdir(dir)).toEqual([]);
  });
});
