/** Least-recently-used cache of decoded blocks, bounded by the memory their loaded columns hold. */
import type { BlockMeta } from './segment-format.js';
import type { DecodedBlock, Segment } from './segment.js';

export class BlockCache {
  private readonly entries = new Map<string, { block: DecodedBlock; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The cached block, or a fresh lazy one (cached once `settle` is called). */
  get(segment: Segment, index: number): DecodedBlock {
    const key = `${segment.id}:${index}`;
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.block;
    }
    return segment.block(index);
  }

  /** Records what the block now holds after use; evicts the least recently used beyond the budget. */
  settle(segment: Segment, index: number, block: DecodedBlock): void {
    const key = `${segment.id}:${index}`;
    const previous = this.entries.get(key);
    if (previous) this.bytes -= previous.bytes;
    const bytes = block.heldBytes;
    this.entries.delete(key);
    this.entries.set(key, { block, bytes });
    this.bytes += bytes;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.bytes <= this.maxBytes || oldKey === key) break;
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

/** Least-recently-used inflated row bitmaps of every segment of an index, bounded by their bytes. */
export class BitmapCache {
  private readonly entries = new Map<BlockMeta, Uint8Array | null>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The block's bitmaps, inflated by `inflate` when not cached. */
  get(block: BlockMeta, inflate: () => Uint8Array | null): Uint8Array | null {
    const cached = this.entries.get(block);
    if (cached !== undefined) {
      this.entries.delete(block);
      this.entries.set(block, cached);
      return cached;
    }
    const bitmaps = inflate();
    this.entries.set(block, bitmaps);
    this.bytes += bitmaps?.length ?? 0;
    for (const [oldBlock, old] of this.entries) {
      if (this.bytes <= this.maxBytes || oldBlock === block) break;
      this.entries.delete(oldBlock);
      this.bytes -= old?.length ?? 0;
    }
    return bitmaps;
  }
}
