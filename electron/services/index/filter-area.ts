/**
 * A segment's filter area (segment-format.ts): the bloom matrix of all its blocks, then per block its row-group
 * filter, its row bitmaps' keys (h1[], h2[]) and the bitmaps themselves, padded to 4 bytes. Built as one buffer,
 * with one CRC, on a block-encoder worker: the bloom matrix alone is a tenth of the index thread's work in a seal.
 */
import { crc32 } from 'node:zlib';
import { BloomMatrix } from './bloom-filter.js';
import type { EncodedBlock } from './block-encoder.js';

/** What a block adds to the filter area. */
export type BlockFilterParts = Pick<EncodedBlock, 'bloomKeys' | 'groups' | 'postingH1' | 'postingH2' | 'bitmaps'>;

export interface FilterArea {
  bytes: Uint8Array;
  crc: number;
  bloomBuckets: number;
  /** Per block, where its row-group filter and its bitmaps start in `bytes`. */
  groupOffsets: number[];
  postingsOffsets: number[];
}

const asBytes = (array: Uint32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
/** Pads to 4 bytes, so that the next block's filters stay aligned as u32 words. */
const padding = (bytes: number) => -bytes & 3;

export function encodeFilterArea(blocks: readonly BlockFilterParts[]): FilterArea {
  const bloom = BloomMatrix.build(blocks.map((block) => block.bloomKeys));
  let length = bloom.words.byteLength;
  for (const block of blocks) length += block.groups.byteLength + block.postingH1.byteLength + block.postingH2.byteLength + block.bitmaps.length + padding(block.bitmaps.length);
  const bytes = new Uint8Array(length);
  let at = 0;
  const put = (part: Uint8Array) => {
    bytes.set(part, at);
    at += part.length;
  };
  put(asBytes(bloom.words));
  const groupOffsets: number[] = [];
  const postingsOffsets: number[] = [];
  for (const block of blocks) {
    groupOffsets.push(at);
    put(asBytes(block.groups));
    put(asBytes(block.postingH1));
    put(asBytes(block.postingH2));
    postingsOffsets.push(at);
    put(block.bitmaps);
    at += padding(block.bitmaps.length);
  }
  return { bytes, crc: crc32(bytes), bloomBuckets: bloom.buckets, groupOffsets, postingsOffsets };
}
