import { describe, expect, it } from 'vitest';
import { BitmapCache, BlockCache } from './block-cache.js';
import type { BlockMeta } from './segment-format.js';
import type { Segment } from './segment.js';

const block = () => ({}) as BlockMeta;
/** An area of `count` bitmaps of `size` bytes, bitmap i filled with i + 1. */
const area = (count: number, size: number) => Uint8Array.from({ length: count * size }, (_, at) => Math.floor(at / size) + 1);

describe('BitmapCache', () => {
  it('returns the asked bitmap of the area, and keeps it without decompressing the area again', () => {
    const cache = new BitmapCache(1 << 20);
    const [a, b] = [block(), block()];
    let decompressions = 0;
    const get = (meta: BlockMeta, index: number) => cache.get(meta, index, 4, () => (decompressions++, area(3, 4)));
    expect([...get(a, 2)!]).toEqual([3, 3, 3, 3]);
    expect([...get(a, 0)!]).toEqual([1, 1, 1, 1]); // the area decompressed last serves the next bitmap of its block
    expect(decompressions).toBe(1);
    get(b, 1);
    expect(decompressions).toBe(2);
    expect([...get(a, 2)!]).toEqual([3, 3, 3, 3]);
    expect(get(a, 0)).toBe(get(a, 0));
    expect(decompressions).toBe(2);
    get(a, 1); // not kept yet, and the last area is b's
    expect(decompressions).toBe(3);
  });

  it('evicts the least recently used block beyond its byte budget, and decompresses it again when asked', () => {
    const cache = new BitmapCache(2 * (100 + 160) + 50);
    const [a, b, c] = [block(), block(), block()];
    const decompressed: BlockMeta[] = [];
    const get = (meta: BlockMeta) => cache.get(meta, 0, 100, () => (decompressed.push(meta), area(1, 100)));
    get(a);
    get(b);
    get(a); // a is now the most recent
    get(c); // over budget: b, the least recent, goes
    get(a);
    expect(decompressed).toEqual([a, b, c]);
    get(b);
    expect(decompressed).toEqual([a, b, c, b]);
  });

  it('caches a block whose bitmaps do not decompress, so it is not retried on every query', () => {
    const cache = new BitmapCache(1 << 20);
    const [meta, other] = [block(), block()];
    let calls = 0;
    expect(cache.get(meta, 0, 4, () => (calls++, null))).toBeNull();
    cache.get(other, 0, 4, () => area(1, 4));
    expect(cache.get(meta, 1, 4, () => (calls++, null))).toBeNull();
    expect(calls).toBe(1);
  });
});

describe('BlockCache', () => {
  /** A segment of `blocks` blocks of 100 bytes each, counting the blocks it decodes. */
  const segment = (blocks: number) => {
    const decoded: number[] = [];
    const fake = { id: 1, block: (index: number) => (decoded.push(index), { heldBytes: 100 }) };
    return { segment: fake as unknown as Segment, decoded, blocks };
  };
  const scan = (cache: BlockCache, { segment: seg, blocks }: ReturnType<typeof segment>) => {
    cache.beginQuery();
    for (let index = 0; index < blocks; index++) cache.settle(seg, index, cache.get(seg, index));
  };

  it('keeps the most recently used blocks within its byte budget', () => {
    const cache = new BlockCache(300);
    const s = segment(4);
    for (const index of [0, 1, 2, 0, 3, 0, 1]) {
      cache.beginQuery();
      cache.settle(s.segment, index, cache.get(s.segment, index));
    }
    // 3 evicted 1 (least recent then), and 1 evicted 2
    expect(s.decoded).toEqual([0, 1, 2, 3, 1]);
  });

  it('a query that needs more blocks than fit keeps those it cached first, so running it again finds them', () => {
    const cache = new BlockCache(300);
    const s = segment(5);
    scan(cache, s);
    expect(s.decoded).toEqual([0, 1, 2, 3, 4]);
    for (let run = 0; run < 2; run++) {
      s.decoded.length = 0;
      scan(cache, s);
      expect(s.decoded).toEqual([3, 4]);
    }
  });
});
