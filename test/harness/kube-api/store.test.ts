import { describe, expect, it } from 'vitest';
import { podObject } from './objects.js';
import { fieldSelector } from './selectors.js';
import { ObjectStore } from './store.js';
import type { StoreEvent } from './types.js';

describe('object store watches', () => {
  it('resume from a revision, and give 410 Expired before the compacted one', () => {
    const store = new ObjectStore();
    store.create('pods', podObject({ name: 'a', node: 'n1' }));
    const from = store.revision;
    store.create('pods', podObject({ name: 'b', node: 'n1' }));
    store.delete('pods', 'default', 'a');
    const seen: string[] = [];
    const stop = store.watch('pods', { fromRevision: from }, (e) => seen.push(`${e.type} ${e.object.metadata.name} ${e.revision}`));
    stop();
    expect(seen).toEqual([`ADDED b ${from + 1}`, `DELETED a ${from + 2}`]);
    store.compact();
    expect(() => store.watch('pods', { fromRevision: from }, () => undefined)).toThrow(/too old resource version/);
    expect(() => store.watch('pods', { fromRevision: store.revision }, () => undefined)).not.toThrow();
  });

  it('turn selector changes into ADDED and DELETED, live and on resume', () => {
    const store = new ObjectStore();
    store.create('pods', podObject({ name: 'p', node: 'n1' }));
    const from = store.revision;
    const onNode2 = fieldSelector('spec.nodeName=n2');
    const live: StoreEvent[] = [];
    store.watch('pods', { fromRevision: from, filter: onNode2 }, (e) => live.push(e));
    const move = (node: string) => store.mutate('pods', 'default', 'p', (o) => void ((o.spec as { nodeName: string }).nodeName = node));
    move('n2');
    store.mutate('pods', 'default', 'p', (o) => void (o.metadata.labels = { touched: 'yes' }));
    move('n3');
    move('n4');
    const replayed: StoreEvent[] = [];
    store.watch('pods', { fromRevision: from, filter: onNode2 }, (e) => replayed.push(e));
    for (const events of [live, replayed]) expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });
});
