import type { BlockMeta } from './segment-format.js';
import type { DecodedBlock, Segment } from './segment.js';

/**
 * Least-recently-used cache of decoded blocks, bounded by the memory their loaded columns hold. Scan-resistant: a
 * query that needs more blocks than fit keeps the ones it cached first rather than evicting them for its own later
 * blocks, so that running it again finds most of its blocks cached instead of none.
 */
export class BlockCache {
  private readonly entries = new Map<string, { block: DecodedBlock; bytes: number; query: number }>();
  private bytes = 0;
  private query = 0;

  constructor(private readonly maxBytes: number) {}

  /** Marks the start of a query: the blocks it uses from now on are its own. */
  beginQuery(): void {
    this.query++;
  }

  /** The cached block, or a fresh lazy one (cached once `settle` is called). */
  get(segment: Segment, index: number): DecodedBlock {
    const key = `${segment.id}:${index}`;
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      entry.query = this.query;
      return entry.block;
    }
    return segment.block(index);
  }

  /**
   * Records what the block now holds after use, then evicts the least recently used blocks beyond the budget; once
   * only blocks of the running query are left, this block is the one not kept.
   */
  settle(segment: Segment, index: number, block: DecodedBlock): void {
    const key = `${segment.id}:${index}`;
    const previous = this.entries.get(key);
    if (previous) this.bytes -= previous.bytes;
    const bytes = block.heldBytes;
    this.entries.delete(key);
    this.entries.set(key, { block, bytes, query: this.query });
    this.bytes += bytes;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (oldEntry.query === this.query) {
        // entries are in order of last use, so every one left was used by the running query: keep them, not this one
        this.entries.delete(key);
        this.bytes -= bytes;
        break;
      }
      this.entries.delete(oldKey);
      this.bytes -= oldEntry.bytes;
    }
  }

  forget(segment: Segment, index: number): void {
    const key = `${segment.id}:${index}`;
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  forgetSegment(segment: Segment): void {
    for (let index = 0; index < segment.footer.blocks.length; index++) this.forget(segment, index);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** What a cached bitmap costs beyond its bytes: a typed array, its buffer and a map entry (roughly). */
const BITMAP_OVERHEAD_BYTES = 160;

/**
 * Least-recently-used row bitmaps of every segment of an index, bounded by their bytes. Only the bitmaps asked for are
 * kept, copied out of their block's decompressed area: a block's area holds a few hundred, and a query uses a few.
 */
export class BitmapCache {
  private readonly entries = new Map<BlockMeta, Map<number, Uint8Array> | null>();
  private bytes = 0;
  /** The area decompressed last, for the next bitmaps of the same block (a phrase asks for several). */
  private lastBlock: BlockMeta | null = null;
  private lastArea: Uint8Array | null = null;

  constructor(private readonly maxBytes: number) {}

  /** Bitmap `index` (of `size` bytes) of the block, from its area decompressed by `decompress` when not cached. */
  get(block: BlockMeta, index: number, size: number, decompress: () => Uint8Array | null): Uint8Array | null {
    let bitmaps = this.entries.get(block);
    if (bitmaps !== undefined) {
      this.entries.delete(block);
      this.entries.set(block, bitmaps);
      if (bitmaps === null) return null;
      const cached = bitmaps.get(index);
      if (cached !== undefined) return cached;
    }
    const area = this.lastBlock === block ? this.lastArea : decompress();
    this.lastBlock = block;
    this.lastArea = area;
    if (area === null) {
      this.entries.set(block, null);
      return null;
    }
    if (bitmaps === undefined) this.entries.set(block, (bitmaps = new Map()));
    const bitmap = area.slice(index * size, (index + 1) * size);
    bitmaps!.set(index, bitmap);
    this.bytes += size + BITMAP_OVERHEAD_BYTES;
    for (const [oldBlock, old] of this.entries) {
      if (this.bytes <= this.maxBytes || oldBlock === block) break;
      this.entries.delete(oldBlock);
      if (old) for (const evicted of old.values()) this.bytes -= evicted.length + BITMAP_OVERHEAD_BYTES;
    }
    return bitmap;
  }
}
