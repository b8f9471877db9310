/**
 * Query evaluation over segment blocks: decide from headers and filters whether a block can match (without
 * decompressing it), then compute the matching rows of a decoded block as a 0/1 mask.
 */
import { LEVELS } from '../../../shared/logs/record.js';
import { levelMatches, type QueryNode } from '../../../shared/logs/query.js';
import { compiledRegex, valueMatches } from '../../../shared/logs/query-match.js';
import { containsTokens, isTokenCode, tokenize, tokensAt } from '../../../shared/logs/tokens.js';
import { andInto, andNotInto, countBits, isEmpty, orAndInto, orInto } from './bitmap-ops.js';
import type { BlockMeta } from './segment-format.js';
import type { DecodedBlock, Segment } from './segment.js';
import { GROUP_MIN_LENGTH, LONG_PREFIX_LENGTH, PREFIX_LENGTH, fieldHashes, groupRowsOf, pairHashes, prefixHashes, repeatHashes, tokenHashes } from './token-hash.js';

type TextNode = Extract<QueryNode, { kind: 'text' }>;
type FieldNode = Extract<QueryNode, { kind: 'field' }>;
type RegexNode = Extract<QueryNode, { kind: 'regex' }>;

/** Postings keys of a text node: its whole words, their adjacent pairs, its prefix cut to each stored length (longest first). */
interface TextKeys {
  words: Array<[number, number]>;
  pairs: Array<[number, number]>;
  /** Keys of the rows repeating each word. */
  repeats: Array<[number, number]>;
  prefixes: Array<[number, number]>;
  /** The prefix is no longer than the longest stored: its bitmap is exact. */
  exactPrefix: boolean;
}

const hasBit = (bitmap: Uint8Array, row: number) => (bitmap[row >> 3] & (1 << (row & 7))) !== 0;

/** A copy by `set` (a bulk copy; `new Uint8Array(buffer)` copies element by element). */
function copyOf(bitmap: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bitmap.length);
  copy.set(bitmap);
  return copy;
}

/**
 * Shared by every plan of the thread: a plan uses it only within one synchronous block evaluation (allocating it
 * per query cost more than some queries).
 */
const SCRATCH = new Uint8Array(1 << 16);

/**
 * Per-query precomputation: hashes of words, label predicates and candidate blocks per segment (LogIndex keeps it for
 * a query asked again).
 */
export class QueryPlan {
  private readonly hashes = new Map<QueryNode, Array<[number, number]>>();
  // weak: a plan is kept for repeated queries (LogIndex), and merges and retention drop segments
  private readonly streamMatches = new WeakMap<Segment, Map<FieldNode, Uint8Array>>();
  private readonly candidates = new WeakMap<Segment, Uint32Array>();

  /**
   * Keys every matching row holds (of the words, prefixes and fields the root requires), flat: h1, h2, h1, h2…;
   * checked against all the blocks of a segment at once (Segment.blocksHoldingAll) before the whole tree.
   */
  readonly required: Uint32Array;

  constructor(readonly root: QueryNode) {
    this.required = Uint32Array.from(this.requiredKeys(root).flat());
  }

  private requiredKeys(node: QueryNode): Array<[number, number]> {
    switch (node.kind) {
      case 'and':
        return node.children.flatMap((child) => this.requiredKeys(child));
      case 'text':
      case 'regex':
        return this.filterKeys(node);
      case 'field':
        return isLabelField(node.field) || node.prefix ? [] : this.filterKeys(node);
      default:
        return [];
    }
  }

  /**
   * Bitmaps built while answering one block from its filters are bump-allocated in SCRATCH and dropped together when
   * the next block starts: allocating many small typed arrays (each with its own backing store) dominated the time.
   */
  private scratchUsed = 0;

  /** A zeroed bitmap of `length` bytes valid until the next countWithoutReading, evaluateText or countTextInGroups call. */
  private scratch(length: number): Uint8Array {
    if (this.scratchUsed + length > SCRATCH.length) return new Uint8Array(length);
    const bits = SCRATCH.subarray(this.scratchUsed, this.scratchUsed + length);
    // the next one starts on a 4-byte boundary, for bitmap-ops' word loops
    this.scratchUsed += (length + 3) & ~3;
    return bits.fill(0);
  }

  /**
   * The indexes of the segment's blocks that may hold a match: their bloom filters hold every required key and
   * mayMatch passes. A segment never changes, so a plan asked again reuses the list.
   */
  candidateBlocks(segment: Segment): Uint32Array {
    let indexes = this.candidates.get(segment);
    if (indexes) return indexes;
    const { blocks } = segment.footer;
    const holding = new Uint8Array(blocks.length);
    segment.blocksHoldingAll(this.required, holding);
    const passing: number[] = [];
    for (let index = 0; index < blocks.length; index++) if (holding[index] !== 0 && this.mayMatch(segment, blocks[index])) passing.push(index);
    this.candidates.set(segment, (indexes = Uint32Array.from(passing)));
    return indexes;
  }

  /** Whether any row of the block could match: false means skip it unread. */
  mayMatch(segment: Segment, block: BlockMeta, node: QueryNode = this.root): boolean {
    switch (node.kind) {
      case 'all':
      case 'not':
        return true;
      case 'and':
        return node.children.every((child) => this.mayMatch(segment, block, child));
      case 'or':
        return node.children.some((child) => this.mayMatch(segment, block, child));
      case 'level':
        return LEVELS.some((level, index) => (block.levelMask & (1 << index)) !== 0 && levelMatches(node.op, level, node.level));
      case 'field': {
        const streams = this.streamMatch(segment, node);
        if (streams) return block.streams.some((stream) => streams[stream] === 1);
        if (!block.hasFields) return false;
        return node.prefix || this.filterHas(segment, block, node);
      }
      case 'text':
      case 'regex':
        return this.filterHas(segment, block, node);
    }
  }

  /**
   * The number of matching rows when block headers and postings decide it without reading the block
   * (the block lies inside `range` and every term is a frequent word, label, level or combination); else null.
   */
  countWithoutReading(segment: Segment, block: BlockMeta, range: { fromNs?: bigint; toNs?: bigint }): number | null {
    if (!blockInside(block, range)) return null;
    this.scratchUsed = 0;
    const bits = this.filterBits(segment, block, this.root);
    if (bits === null) return null;
    return countBits(bits);
  }

  /** The rows matching `node` as a bitmap (bit i of byte i>>3 = row i), from headers and postings alone; or null. */
  private filterBits(segment: Segment, block: BlockMeta, node: QueryNode): Uint8Array | null {
    const rows = block.rows;
    const uniform = (value: 0 | 1) => {
      const bits = this.scratch(Math.ceil(rows / 8));
      if (value === 1) {
        bits.fill(0xff);
        if (rows % 8 !== 0) bits[bits.length - 1] = (1 << rows % 8) - 1;
      }
      return bits;
    };
    switch (node.kind) {
      case 'all':
        return uniform(1);
      case 'and':
      case 'or': {
        const parts = node.children.map((child) => this.filterBits(segment, block, child));
        if (parts.some((part) => part === null)) return null;
        const out = uniform(node.kind === 'and' ? 1 : 0);
        const combine = node.kind === 'and' ? andInto : orInto;
        for (const part of parts as Uint8Array[]) combine(out, part);
        return out;
      }
      case 'not': {
        const inner = this.filterBits(segment, block, node.child);
        if (!inner) return null;
        const all = uniform(1);
        andNotInto(all, inner);
        return all;
      }
      case 'level': {
        const present = LEVELS.filter((_level, index) => (block.levelMask & (1 << index)) !== 0);
        const matching = present.filter((level) => levelMatches(node.op, level, node.level)).length;
        return matching === 0 ? uniform(0) : matching === present.length ? uniform(1) : null;
      }
      case 'field': {
        const streams = this.streamMatch(segment, node);
        if (!streams) return this.mayMatch(segment, block, node) ? null : uniform(0);
        const matching = block.streams.filter((stream) => streams[stream] === 1).length;
        return matching === 0 ? uniform(0) : matching === block.streams.length ? uniform(1) : null;
      }
      case 'text': {
        // a bitmap implies the words are there: the bloom filter is only asked when none applies
        const postings = this.textPostings(segment, block, node);
        if (!postings) return this.mayMatch(segment, block, node) ? null : uniform(0);
        return !postings.unsure || isEmpty(postings.unsure) ? postings.rows : null;
      }
      case 'regex':
        return this.mayMatch(segment, block, node) ? null : uniform(0);
    }
  }

  /** For label fields: 1 per segment stream whose label matches; null for structured fields. */
  streamMatch(segment: Segment, node: FieldNode): Uint8Array | null {
    if (!isLabelField(node.field)) return null;
    let perNode = this.streamMatches.get(segment);
    if (!perNode) this.streamMatches.set(segment, (perNode = new Map()));
    let matches = perNode.get(node);
    if (!matches) {
      matches = new Uint8Array(segment.labels.length);
      segment.labels.forEach((labels, index) => {
        const value = (labels as unknown as Record<string, string | undefined>)[node.field];
        if (valueMatches(value, node.value, node.prefix)) matches![index] = 1;
      });
      perNode.set(node, matches);
    }
    return matches;
  }

  private filterHas(segment: Segment, block: BlockMeta, node: TextNode | RegexNode | FieldNode): boolean {
    for (const [h1, h2] of this.filterKeys(node)) if (!segment.mayHold(block, h1, h2)) return false;
    return node.kind !== 'text' || this.candidateGroups(segment, block, node) !== 0;
  }

  private readonly groupMasks = new Map<TextNode, WeakMap<BlockMeta, number>>();

  /**
   * Bit g set for each row group of the block that may hold all of the node's words, from the row-group filter of
   * the words without a bitmap there (at least GROUP_MIN_LENGTH long); -1 (all) when no such word narrows it.
   */
  private candidateGroups(segment: Segment, block: BlockMeta, node: TextNode): number {
    let perBlock = this.groupMasks.get(node);
    if (!perBlock) this.groupMasks.set(node, (perBlock = new WeakMap()));
    let mask = perBlock.get(block);
    if (mask === undefined) {
      mask = -1;
      const { words } = this.textKeysOf(node);
      const tokens = node.prefix ? node.tokens.slice(0, -1) : node.tokens;
      for (let i = 0; i < words.length && mask !== 0; i++) {
        const [h1, h2] = words[i];
        if (tokens[i].length >= GROUP_MIN_LENGTH && !segment.keepsPosting(block, h1, h2)) mask &= segment.wordGroups(block, h1, h2);
      }
      perBlock.set(block, mask);
    }
    return mask;
  }

  private filterKeys(node: TextNode | RegexNode | FieldNode): Array<[number, number]> {
    let keys = this.hashes.get(node);
    if (!keys) {
      keys = [];
      if (node.kind === 'text') {
        const whole = node.prefix ? node.tokens.slice(0, -1) : node.tokens;
        keys.push(...whole.map(tokenHashes));
        const prefix = node.prefix ? prefixHashes(node.tokens[node.tokens.length - 1]) : undefined;
        if (prefix) keys.push(prefix);
      } else if (node.kind === 'regex') {
        for (const literal of node.literals) keys.push(...tokenize(literal, true).filter((token) => tokenize(token).length === 1).map(tokenHashes));
      } else {
        keys.push(fieldHashes(node.field, node.value));
      }
      this.hashes.set(node, keys);
    }
    return keys;
  }

  /**
   * The number of rows of an ASCII block (wholly inside the query's range) matching a root that is one text node
   * found through the row-group filter, counted while scanning its candidate groups without building row masks;
   * null when that does not apply.
   */
  countTextInGroups(segment: Segment, block: DecodedBlock): number | null {
    const node = this.root;
    if (node.kind !== 'text' || !block.meta.ascii) return null;
    this.scratchUsed = 0;
    if (this.textPostings(segment, block.meta, node)) return null;
    const groups = this.candidateGroups(segment, block.meta, node);
    if (groups === -1) return null;
    return scanGroups(block, node, groups, null, this.scratch(block.rows));
  }

  /** Rows of `block` matching `node` among those set in `mask` (a new array; `mask` is not changed). */
  evaluate(segment: Segment, block: DecodedBlock, mask: Uint8Array, node: QueryNode = this.root): Uint8Array {
    switch (node.kind) {
      case 'all':
        return mask.slice();
      case 'and': {
        let current = mask;
        for (const child of orderForAnd(node.children)) {
          if (!this.mayMatch(segment, block.meta, child)) return new Uint8Array(mask.length);
          current = this.evaluate(segment, block, current, child);
        }
        return current === mask ? mask.slice() : current;
      }
      case 'or': {
        const out = new Uint8Array(mask.length);
        const remaining = mask.slice();
        for (const child of node.children) {
          if (!this.mayMatch(segment, block.meta, child)) continue;
          const matched = this.evaluate(segment, block, remaining, child);
          for (let i = 0; i < out.length; i++) {
            if (matched[i]) {
              out[i] = 1;
              remaining[i] = 0;
            }
          }
        }
        return out;
      }
      case 'not': {
        const matched = this.mayMatch(segment, block.meta, node.child) ? this.evaluate(segment, block, mask, node.child) : new Uint8Array(mask.length);
        const out = new Uint8Array(mask.length);
        for (let i = 0; i < out.length; i++) out[i] = mask[i] & (matched[i] ^ 1);
        return out;
      }
      case 'level': {
        const out = new Uint8Array(mask.length);
        const accepted = LEVELS.map((level) => levelMatches(node.op, level, node.level));
        for (let i = 0; i < out.length; i++) if (mask[i] && accepted[block.level[i]]) out[i] = 1;
        return out;
      }
      case 'field':
        return this.evaluateField(segment, block, mask, node);
      case 'text':
        return this.evaluateText(segment, block, mask, node);
      case 'regex':
        return this.evaluateRegex(segment, block, mask, node);
    }
  }

  private evaluateField(segment: Segment, block: DecodedBlock, mask: Uint8Array, node: FieldNode): Uint8Array {
    const out = new Uint8Array(mask.length);
    const streams = this.streamMatch(segment, node);
    if (streams) {
      for (let i = 0; i < out.length; i++) if (mask[i] && streams[block.stream[i]]) out[i] = 1;
      return out;
    }
    for (let i = 0; i < out.length; i++) {
      if (mask[i] && valueMatches(block.fields(i)?.[node.field], node.value, node.prefix)) out[i] = 1;
    }
    return out;
  }

  private evaluateText(segment: Segment, block: DecodedBlock, mask: Uint8Array, node: TextNode): Uint8Array {
    const out = new Uint8Array(mask.length);
    this.scratchUsed = 0;
    const postings = this.textPostings(segment, block.meta, node);
    let rows = mask;
    if (postings) {
      rows = new Uint8Array(mask.length);
      let unsureRows = 0;
      for (let row = 0; row < mask.length; row++) {
        if (!mask[row] || !hasBit(postings.rows, row)) continue;
        if (postings.unsure && hasBit(postings.unsure, row)) {
          rows[row] = 1;
          unsureRows++;
        } else out[row] = 1;
      }
      if (unsureRows === 0) return out;
    }
    const groups = this.candidateGroups(segment, block.meta, node);
    if (block.meta.ascii && groups !== -1) {
      scanGroups(block, node, groups, rows, out);
      return out;
    }
    if (groups !== -1) rows = inGroups(rows, groups, groupRowsOf(block.rows));
    if (block.meta.ascii) {
      scanAscii(block, this.wordsRegex(node), rows, out, node.prefix);
      return out;
    }
    for (let row = 0; row < out.length; row++) {
      if (!rows[row]) continue;
      const lower = block.message(row).toLowerCase();
      if (containsTokens(lower, 0, lower.length, node.tokens, node.prefix)) out[row] = 1;
    }
    return out;
  }

  private readonly wordRegexes = new Map<TextNode, RegExp>();

  /** The node's words separated by non-word runs, case-insensitive; word boundaries are checked by scanAscii. */
  private wordsRegex(node: TextNode): RegExp {
    let regex = this.wordRegexes.get(node);
    if (!regex) {
      regex = new RegExp(node.tokens.map((token) => token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^A-Za-z0-9\\u0080-\\uffff]+'), 'gi');
      this.wordRegexes.set(node, regex);
    }
    return regex;
  }

  private readonly textKeys = new Map<TextNode, TextKeys>();

  private textKeysOf(node: TextNode): TextKeys {
    let keys = this.textKeys.get(node);
    if (!keys) {
      const words = (node.prefix ? node.tokens.slice(0, -1) : node.tokens).map(tokenHashes);
      const pairs = words.slice(1).map((word, i) => pairHashes(words[i], word));
      const last = node.tokens[node.tokens.length - 1];
      const prefixes: Array<[number, number]> = [];
      if (node.prefix) {
        for (let length = Math.min(last.length, LONG_PREFIX_LENGTH); length >= PREFIX_LENGTH; length--) {
          const key = prefixHashes(last, length);
          if (key) prefixes.push(key);
        }
      }
      keys = { words, pairs, repeats: words.map(([h1, h2]) => repeatHashes(h1, h2)), prefixes, exactPrefix: last.length <= LONG_PREFIX_LENGTH && !/[0-9]/.test(last) };
      this.textKeys.set(node, keys);
    }
    return keys;
  }

  /**
   * What the block's bitmaps say about a text node: `rows` (a bitmap) holds every matching row, `unsure` those of
   * them that must still be checked against the text (null: none, `rows` is exact); null when no bitmap applies.
   * A word's bitmap is exact; so is a prefix's of the same length, and an adjacent pair's for a two-word phrase.
   * A longer phrase is exact in the rows where each of its words occurs once (in none of their repeat bitmaps).
   */
  private textPostings(segment: Segment, block: BlockMeta, node: TextNode): { rows: Uint8Array; unsure: Uint8Array | null } | null {
    const keys = this.textKeysOf(node);
    // the first bitmap is used as is (segment-owned, never written), a copy made only to AND another into it
    let rows: Uint8Array | null = null;
    let owned = false;
    const and = (bitmap: Uint8Array) => {
      if (!rows) rows = bitmap;
      else {
        if (!owned) {
          const copy = this.scratch(rows.length);
          copy.set(rows);
          rows = copy;
          owned = true;
        }
        andInto(rows, bitmap);
      }
    };
    let pairsFound = 0;
    for (const [h1, h2] of keys.pairs) {
      const bitmap = segment.posting(block, h1, h2);
      if (bitmap) {
        and(bitmap);
        pairsFound++;
      }
    }
    // all pairs found imply their words: those bitmaps then only need to exist, and only for longer phrases
    const pairsCover = pairsFound > 0 && pairsFound === keys.pairs.length;
    let wordsFound = 0;
    if (!pairsCover) {
      for (const [h1, h2] of keys.words) {
        const bitmap = segment.posting(block, h1, h2);
        if (!bitmap) continue;
        wordsFound++;
        and(bitmap);
      }
    } else if (keys.words.length > 2) for (const [h1, h2] of keys.words) if (segment.keepsPosting(block, h1, h2)) wordsFound++;
    let prefixExact = false;
    for (let i = 0; i < keys.prefixes.length; i++) {
      const bitmap = segment.posting(block, keys.prefixes[i][0], keys.prefixes[i][1]);
      if (!bitmap) continue;
      and(bitmap);
      prefixExact = i === 0 && keys.exactPrefix;
      break;
    }
    if (!rows) return null;
    const found: Uint8Array = rows;
    if (node.prefix) return { rows: found, unsure: node.tokens.length === 1 && prefixExact ? null : found };
    if (node.tokens.length === 1) return { rows: found, unsure: null };
    if (!pairsCover) return { rows: found, unsure: found };
    if (node.tokens.length === 2) return { rows: found, unsure: null };
    if (wordsFound < keys.words.length) return { rows: found, unsure: found };
    let unsure: Uint8Array | null = null;
    for (const [h1, h2] of keys.repeats) {
      const repeats = segment.posting(block, h1, h2);
      if (!repeats) continue;
      unsure ??= this.scratch(found.length);
      orAndInto(unsure, found, repeats);
    }
    return { rows: found, unsure };
  }

  /** Rows (ascending) holding every bounded word of a regex's literals according to the block's word bitmaps; null when none has one. */
  private regexCandidates(segment: Segment, block: BlockMeta, node: RegexNode): Uint32Array | null {
    let combined: Uint8Array | null = null;
    for (const [h1, h2] of this.filterKeys(node)) {
      const bitmap = segment.posting(block, h1, h2);
      if (!bitmap) continue;
      if (!combined) combined = copyOf(bitmap);
      else andInto(combined, bitmap);
    }
    if (!combined) return null;
    const rows = new Uint32Array(countBits(combined));
    let at = 0;
    for (let i = 0; i < combined.length; i++) {
      let byte = combined[i];
      while (byte !== 0) {
        const bit = 31 - Math.clz32(byte & -byte);
        rows[at++] = i * 8 + bit;
        byte &= byte - 1;
      }
    }
    return rows;
  }

  private evaluateRegex(segment: Segment, block: DecodedBlock, mask: Uint8Array, node: RegexNode): Uint8Array {
    const candidates = this.regexCandidates(segment, block.meta, node);
    if (!candidates) return evaluateRegex(block, mask, node);
    const out = new Uint8Array(mask.length);
    const regex = compiledRegex(node.source, node.flags);
    for (const row of candidates) if (mask[row] && regex.test(block.message(row))) out[row] = 1;
    return out;
  }
}

/** Whether every row of the block lies inside `range`. */
export function blockInside(block: BlockMeta, range: { fromNs?: bigint; toNs?: bigint }): boolean {
  return (range.fromNs === undefined || block.minTs >= range.fromNs) && (range.toNs === undefined || block.maxTs < range.toNs);
}

export function isLabelField(field: string): boolean {
  return field === 'site' || field === 'device' || field === 'source' || field === 'unit' || field === 'pod' || field === 'container';
}

/** Cheap, selective terms first so that expensive ones (regex, structured fields) see fewer rows. */
function orderForAnd(children: QueryNode[]): QueryNode[] {
  const cost = (node: QueryNode): number => (node.kind === 'level' || node.kind === 'field' ? 0 : node.kind === 'text' ? 1 : node.kind === 'regex' ? 3 : 2);
  return [...children].sort((a, b) => cost(a) - cost(b));
}

/**
 * Scans `text` (the block's messages back to back, ASCII) for `needle` within rows [fromRow, toRow); for each hit in
 * a row set in `mask` (null: every row), `accept(at, rowStart, rowEnd)` decides; accepted rows are set in `out` and
 * their rest skipped. Returns the number of rows accepted.
 */
function forEachHitRow(
  block: DecodedBlock,
  text: string,
  needle: string,
  mask: Uint8Array | null,
  out: Uint8Array,
  accept: (at: number, start: number, end: number) => boolean,
  fromRow = 0,
  toRow = block.rows,
): number {
  const ends = block.messageOffsets();
  let row = fromRow;
  if (mask) while (row < toRow && !mask[row]) row++;
  if (row >= toRow) return 0;
  // a slice bounds each search to the rows asked for (a row's hits are in its own span)
  const base = ends[row];
  const span = fromRow === 0 && toRow === block.rows ? text : text.slice(0, ends[toRow]);
  let accepted = 0;
  let at = span.indexOf(needle, base);
  while (at >= 0) {
    if (ends[row + 1] <= at) row = rowAt(ends, at, row + 1, toRow);
    const start = ends[row];
    const end = ends[row + 1];
    if ((mask && !mask[row]) || out[row]) at = span.indexOf(needle, end);
    else if (at + needle.length <= end && accept(at, start, end)) {
      out[row] = 1;
      accepted++;
      at = span.indexOf(needle, end);
    } else at = span.indexOf(needle, at + 1);
  }
  return accepted;
}

/**
 * Marks in `out` the rows of an ASCII block's row groups set in `groups` (and in `mask`; null: all) that hold the text
 * node, searching the lowercased text of those groups only; returns how many.
 */
function scanGroups(block: DecodedBlock, node: TextNode, groups: number, mask: Uint8Array | null, out: Uint8Array): number {
  const lower = block.lowerText();
  const accept = (at: number, start: number, end: number) => tokensAt(lower, at, start, end, node.tokens, node.prefix);
  let found = 0;
  forEachGroupRun(groups, groupRowsOf(block.rows), block.rows, (from, to) => {
    found += forEachHitRow(block, lower, node.tokens[0], mask, out, accept, from, to);
  });
  return found;
}

/** `rows` narrowed to the row groups set in `groups` (groups of `groupRows` rows). */
function inGroups(rows: Uint8Array, groups: number, groupRows: number): Uint8Array {
  const out = new Uint8Array(rows.length);
  forEachGroupRun(groups, groupRows, rows.length, (from, to) => {
    for (let row = from; row < to; row++) out[row] = rows[row];
  });
  return out;
}

/** Calls `run(fromRow, toRow)` for each maximal run of consecutive groups set in `groups`. */
function forEachGroupRun(groups: number, groupRows: number, rows: number, run: (from: number, to: number) => void): void {
  for (let group = 0; group * groupRows < rows; group++) {
    if ((groups & (1 << group)) === 0) continue;
    let last = group;
    while ((last + 1) * groupRows < rows && (groups & (1 << (last + 1))) !== 0) last++;
    run(group * groupRows, Math.min(rows, (last + 1) * groupRows));
    group = last;
  }
}

/**
 * Marks in `out` the rows set in `rows` whose message holds the words of `regex` (from wordsRegex) on word
 * boundaries, running the regex over the block's whole ASCII text and skipping rows that need no answer.
 */
function scanAscii(block: DecodedBlock, regex: RegExp, rows: Uint8Array, out: Uint8Array, prefix: boolean): void {
  const count = block.rows;
  const ends = block.messageOffsets();
  const text = block.text();
  let row = 0;
  while (row < count && !rows[row]) row++;
  if (row >= count) return;
  regex.lastIndex = ends[row];
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const at = match.index;
    if (ends[row + 1] <= at) row = rowAt(ends, at, row + 1, count);
    if (!rows[row]) {
      while (row < count && !rows[row]) row++;
      if (row >= count) return;
      regex.lastIndex = ends[row];
      continue;
    }
    const start = ends[row];
    const end = ends[row + 1];
    const stop = at + match[0].length;
    const bounded = stop <= end && (at === start || !isTokenCode(text.charCodeAt(at - 1))) && (prefix || stop === end || !isTokenCode(text.charCodeAt(stop)));
    if (!bounded) {
      regex.lastIndex = at + 1;
      continue;
    }
    out[row] = 1;
    row++;
    while (row < count && !rows[row]) row++;
    if (row >= count) return;
    regex.lastIndex = ends[row];
  }
}

/** The row whose message holds byte `at`, searching rows from `low`. */
function rowAt(ends: Uint32Array, at: number, low: number, rows: number): number {
  let lo = low;
  let hi = rows - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ends[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function evaluateRegex(block: DecodedBlock, mask: Uint8Array, node: RegexNode): Uint8Array {
  const out = new Uint8Array(mask.length);
  const regex = compiledRegex(node.source, node.flags);
  const caseless = node.flags.includes('i');
  const longest = node.literals.reduce((best, literal) => (literal.length > best.length ? literal : best), '');
  if (block.meta.ascii && longest.length > 0 && !node.flags.includes('u')) {
    const text = caseless ? block.lowerText() : block.text();
    const needle = caseless ? longest.toLowerCase() : longest;
    if (needle.length === longest.length) {
      forEachHitRow(block, text, needle, mask, out, (_at, start, end) => regex.test(block.text().slice(start, end)));
      return out;
    }
  }
  if (longest.length > 0 && !caseless && (block.meta.ascii ? block.text().indexOf(longest) : block.messages().indexOf(longest)) < 0) return out;
  for (let i = 0; i < out.length; i++) if (mask[i] && regex.test(block.message(i))) out[i] = 1;
  return out;
}
