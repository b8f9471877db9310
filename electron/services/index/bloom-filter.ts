/**
 * The bloom filters of a block, stored as 32-bit words in the segment's filter area.
 *   - BloomMatrix (the block filters, asked for every block by every query): split-block filters, where each key sets
 *     one bit in each of the 8 words of one 256-bit bucket chosen by its first hash, so a lookup reads one cache line.
 *   - RowGroupFilter (asked only in blocks that passed the first): one bloom filter per row group, bit-sliced, with
 *     10 bits a (word, group) entry (about 1 % false positives: a rare word's block is then read in ~1.3 of its 32
 *     groups). Written by assembly/token-table.ts, which must place the bits as `groups` reads them.
 */

const BUCKET_WORDS = 8;
const SALTS = Int32Array.of(0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31);
/** About 0.6 % false positives for a split-block filter. */
const BLOCK_BLOOM_BITS_PER_KEY = 12;
const GROUP_BLOOM_HASHES = 7;

/** `hash` (a uint32) scaled to [0, n): a multiply instead of `%`, which is a floating-point op on uint32 values. */
const scaled = (hash: number, n: number) => Math.floor((hash * n) / 4294967296);

function bucketOf(h1: number, buckets: number): number {
  let x = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  x ^= x >>> 13;
  return scaled(x >>> 0, buckets);
}

/**
 * The split-block bloom filters of all blocks of a segment, bucket-major: bucket i of every block lies together
 * (block after block), so asking every block of a segment for one key reads one contiguous run of memory.
 * All blocks of a segment have the same number of buckets, sized for the segment's average keys per block.
 */
export class BloomMatrix {
  private constructor(
    readonly words: Uint32Array,
    readonly buckets: number,
  ) {}

  /** `keys[b]` holds block b's keys, flat: h1, h2, h1, h2… */
  static build(keys: readonly Uint32Array[]): BloomMatrix {
    const blocks = keys.length;
    const total = keys.reduce((sum, flat) => sum + flat.length / 2, 0);
    const buckets = Math.max(1, Math.ceil((total * BLOCK_BLOOM_BITS_PER_KEY) / 256 / Math.max(1, blocks)));
    const words = new Uint32Array(buckets * blocks * BUCKET_WORDS);
    const [s0, s1, s2, s3, s4, s5, s6, s7] = SALTS;
    for (let block = 0; block < blocks; block++) {
      const flat = keys[block];
      for (let i = 0; i < flat.length; i += 2) {
        const start = (bucketOf(flat[i], buckets) * blocks + block) * BUCKET_WORDS;
        const h2 = flat[i + 1];
        // unrolled: the salt loop's loads and branches were most of the work
        words[start] |= 1 << (Math.imul(h2, s0) >>> 27);
        words[start + 1] |= 1 << (Math.imul(h2, s1) >>> 27);
        words[start + 2] |= 1 << (Math.imul(h2, s2) >>> 27);
        words[start + 3] |= 1 << (Math.imul(h2, s3) >>> 27);
        words[start + 4] |= 1 << (Math.imul(h2, s4) >>> 27);
        words[start + 5] |= 1 << (Math.imul(h2, s5) >>> 27);
        words[start + 6] |= 1 << (Math.imul(h2, s6) >>> 27);
        words[start + 7] |= 1 << (Math.imul(h2, s7) >>> 27);
      }
    }
    return new BloomMatrix(words, buckets);
  }

  /**
   * Clears `out[b]` for each block b (of `blocks`) of the matrix at the start of `words` that cannot hold the key:
   * one contiguous pass over the key's bucket of every block.
   */
  static narrow(words: Uint32Array, buckets: number, blocks: number, h1: number, h2: number, out: Uint8Array): void {
    const bit = (w: number) => 1 << (Math.imul(h2, SALTS[w]) >>> 27);
    const [b0, b1, b2, b3, b4, b5, b6, b7] = [bit(0), bit(1), bit(2), bit(3), bit(4), bit(5), bit(6), bit(7)];
    let at = bucketOf(h1, buckets) * blocks * BUCKET_WORDS;
    for (let block = 0; block < blocks; block++, at += BUCKET_WORDS) {
      const all =
        (words[at] & b0) !== 0 &&
        (words[at + 1] & b1) !== 0 &&
        (words[at + 2] & b2) !== 0 &&
        (words[at + 3] & b3) !== 0 &&
        (words[at + 4] & b4) !== 0 &&
        (words[at + 5] & b5) !== 0 &&
        (words[at + 6] & b6) !== 0 &&
        (words[at + 7] & b7) !== 0;
      if (!all) out[block] = 0;
    }
  }

  /** Whether block `block` (of `blocks`) of the matrix at the start of `words` may hold the key. */
  static has(words: Uint32Array, buckets: number, blocks: number, block: number, h1: number, h2: number): boolean {
    const start = (bucketOf(h1, buckets) * blocks + block) * BUCKET_WORDS;
    for (let w = 0; w < BUCKET_WORDS; w++) if ((words[start + w] & (1 << (Math.imul(h2, SALTS[w]) >>> 27))) === 0) return false;
    return true;
  }
}

/**
 * Which row groups (at most 32) of a block may hold a word: a bloom filter per group, bit-sliced. A word sets bit g of
 * each of its k positions (from its hashes, the same for every group) for each group g it occurs in, so one lookup
 * reads k words and their AND is the set of candidate groups.
 */
export class RowGroupFilter {
  /** The candidate groups of the key (bit g: group g) in the filter at `words[offset, offset + count)`. */
  static groups(words: Uint32Array, offset: number, count: number, h1: number, h2: number): number {
    let position = scaled(h1, count);
    const step = scaled(h2, count) | 1;
    let mask = -1;
    for (let k = 0; k < GROUP_BLOOM_HASHES && mask !== 0; k++) {
      mask &= words[offset + (position % count)];
      position += step;
    }
    return mask;
  }
}
