import { describe, expect, it } from 'vitest';
import { BitmapCache } from './block-cache.js';
import type { BlockMeta } from './segment-format.js';

const block = () => ({}) as BlockMeta;

describe('BitmapCache', () => {
  it('inflates once, keeps the most recently used within its byte budget and inflates an evicted block again', () => {
    const cache = new BitmapCache(250);
    const [a, b, c] = [block(), block(), block()];
    const inflated: BlockMeta[] = [];
    const get = (meta: BlockMeta) => cache.get(meta, () => (inflated.push(meta), new Uint8Array(100)));
    get(a);
    get(b);
    get(a); // a is now the most recent
    expect(inflated).toEqual([a, b]);
    get(c); // 300 bytes: b, the least recent, goes
    get(a);
    expect(inflated).toEqual([a, b, c]);
    get(b);
    expect(inflated).toEqual([a, b, c, b]);
  });

  it('caches a block whose bitmaps do not inflate, so it is not retried on every query', () => {
    const cache = new BitmapCache(10);
    const meta = block();
    let calls = 0;
    expect(cache.get(meta, () => (calls++, null))).toBeNull();
    expect(cache.get(meta, () => (calls++, null))).toBeNull();
    expect(calls).toBe(1);
  });
});
