import { describe, expect, it } from 'vitest';
import { BitmapCache } from './block-cache.js';
import type { BlockMeta } from './segment-format.js';

const block = () => ({}) as BlockMeta;
/** An area of `count` bitmaps of `size` bytes, bitmap i filled with i + 1. */
const area = (count: number, size: number) => Uint8Array.from({ length: count * size }, (_, at) => Math.floor(at / size) + 1);

describe('BitmapCache', () => {
  it('returns the asked bitmap of the area, and keeps it without inflating the area again', () => {
    const cache = new BitmapCache(1 << 20);
    const [a, b] = [block(), block()];
    let inflations = 0;
    const get = (meta: BlockMeta, index: number) => cache.get(meta, index, 4, () => (inflations++, area(3, 4)));
    expect([...get(a, 2)!]).toEqual([3, 3, 3, 3]);
    expect([...get(a, 0)!]).toEqual([1, 1, 1, 1]); // the area inflated last serves the next bitmap of its block
    expect(inflations).toBe(1);
    get(b, 1);
    expect(inflations).toBe(2);
    expect([...get(a, 2)!]).toEqual([3, 3, 3, 3]);
    expect(get(a, 0)).toBe(get(a, 0));
    expect(inflations).toBe(2);
    get(a, 1); // not kept yet, and the last area is b's
    expect(inflations).toBe(3);
  });

  it('evicts the least recently used block beyond its byte budget, and inflates it again when asked', () => {
    const cache = new BitmapCache(2 * (100 + 160) + 50);
    const [a, b, c] = [block(), block(), block()];
    const inflated: BlockMeta[] = [];
    const get = (meta: BlockMeta) => cache.get(meta, 0, 100, () => (inflated.push(meta), area(1, 100)));
    get(a);
    get(b);
    get(a); // a is now the most recent
    get(c); // over budget: b, the least recent, goes
    get(a);
    expect(inflated).toEqual([a, b, c]);
    get(b);
    expect(inflated).toEqual([a, b, c, b]);
  });

  it('caches a block whose bitmaps do not inflate, so it is not retried on every query', () => {
    const cache = new BitmapCache(1 << 20);
    const [meta, other] = [block(), block()];
    let calls = 0;
    expect(cache.get(meta, 0, 4, () => (calls++, null))).toBeNull();
    cache.get(other, 0, 4, () => area(1, 4));
    expect(cache.get(meta, 1, 4, () => (calls++, null))).toBeNull();
    expect(calls).toBe(1);
  });
});
