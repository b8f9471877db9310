/**
 * The keys of one block, gathered while sealing it, and the filters built from them:
 *   - the keys of its bloom filter (bloom-filter.ts): words, 3-character word prefixes and field=value pairs;
 *   - row bitmaps ("postings") of its most frequent words, prefixes (3 to 5 characters) and adjacent word pairs, plus
 *     the rows where a word with a bitmap occurs more than once (a phrase whose words each occur once in a row and
 *     whose adjacent pairs are all there is in that row);
 *   - a row-group filter: for each word of at least GROUP_MIN_LENGTH characters without a bitmap, the groups of rows
 *     (at most 32 per block) it occurs in, so that a rare word's rows are found without reading the whole block.
 * Each distinct word is hashed into the table once per occurrence and its prefixes once per block; pairs are only
 * collected between words frequent enough for a pair to be (a pair is in at most as many rows as either word).
 * The work is done in WebAssembly (assembly/token-table.ts); this class hands it a block's text and copies the
 * filters out. Each table has its own instance, with its own memory.
 */
import { instantiateWasm } from './wasm-module.js';

export interface Postings {
  /** Keys sorted by h1, then h2. */
  h1: Uint32Array;
  h2: Uint32Array;
  /** One bitmap of `rows` bits per key, in key order, concatenated. */
  bitmaps: Uint8Array;
}

export interface PostingLimits {
  words: number;
  prefixes: number;
  longPrefixes: number;
  pairs: number;
}

export interface BlockFilters {
  /** The keys for the block's bloom filter (the segment builds them into its BloomMatrix), flat: h1, h2… */
  bloomKeys: Uint32Array;
  groups: Uint32Array;
  postings: Postings;
}

interface TokenTableExports {
  textArea(units: number, width: number): number;
  rowLengths(rows: number): number;
  reset(): void;
  addRows8(rows: number): void;
  addRows16(rows: number): void;
  addField(h1: number, h2: number, row: number): void;
  finish(rows: number, minRows: number, words: number, prefixes: number, longPrefixes: number, pairs: number): void;
  postingCount(): number;
  postingH1s(): number;
  postingH2s(): number;
  bitmapArea(): number;
  bitmapLength(): number;
  bloomKeyArea(): number;
  bloomKeyLength(): number;
  groupFilterArea(): number;
  groupFilterLength(): number;
}

export class TokenTable {
  private readonly wasm = instantiateWasm<TokenTableExports>('token-table');

  reset(): void {
    this.wasm.reset();
  }

  addField(h1: number, h2: number, row: number): void {
    this.wasm.addField(h1 | 0, h2 | 0, row);
  }

  /** Adds rows of ASCII text: `bytes` holds them back to back, `lengths` each one's length. */
  addAscii(bytes: Uint8Array, lengths: Uint32Array): void {
    const at = this.wasm.textArea(bytes.length, 1);
    new Uint8Array(this.wasm.memory.buffer, at, bytes.length).set(bytes);
    this.addRows(lengths, this.wasm.addRows8);
  }

  /** Adds rows of lowercased text: `lower` holds them back to back, `lengths` each one's UTF-16 length. */
  addLowered(lower: string, lengths: Uint32Array): void {
    const at = this.wasm.textArea(lower.length, 2);
    Buffer.from(this.wasm.memory.buffer, at, lower.length * 2).write(lower, 'utf16le');
    this.addRows(lengths, this.wasm.addRows16);
  }

  private addRows(lengths: Uint32Array, add: (rows: number) => void): void {
    const at = this.wasm.rowLengths(lengths.length);
    new Uint32Array(this.wasm.memory.buffer, at, lengths.length).set(lengths);
    add(lengths.length);
  }

  /**
   * The block's filters. Keys found in at least `minRows` rows get bitmaps, the most frequent of each kind up to
   * `limits`; a chosen word that occurs more than once in some row also gets the bitmap of those rows.
   */
  finish(rows: number, minRows: number, limits: PostingLimits): BlockFilters {
    const { wasm } = this;
    wasm.finish(rows, minRows, limits.words, limits.prefixes, limits.longPrefixes, limits.pairs);
    const { buffer } = wasm.memory;
    const postings = wasm.postingCount();
    return {
      bloomKeys: new Uint32Array(buffer, wasm.bloomKeyArea(), wasm.bloomKeyLength()).slice(),
      groups: new Uint32Array(buffer, wasm.groupFilterArea(), wasm.groupFilterLength()).slice(),
      postings: {
        h1: new Uint32Array(buffer, wasm.postingH1s(), postings).slice(),
        h2: new Uint32Array(buffer, wasm.postingH2s(), postings).slice(),
        bitmaps: new Uint8Array(buffer, wasm.bitmapArea(), wasm.bitmapLength()).slice(),
      },
    };
  }
}
