import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { addTextMessages } from '../../../test/harness/seal-columns.js';
import { allocateColumns, writeSegment } from './segment-format.js';
import { Segment } from './segment.js';
import { QueryPlan } from './block-eval.js';
import { labelsKey } from './record-codec.js';
import { GROUP_MIN_LENGTH, LONG_PREFIX_LENGTH, PREFIX_LENGTH, groupRowsOf, pairHashes, prefixHashes, repeatHashes, tokenHashes } from './token-hash.js';
import { parseQuery } from '../../../shared/logs/query.js';
import { tokenize } from '../../../shared/logs/tokens.js';

let dir: string;
let run = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-postings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BLOCK_ROWS = 16;
const WORDS = ['a', 'b', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'Abcdx', 'x1', 'ab1cd', 'abcd1', 'é'];
const messageOf = (words: string[], maxLength: number) =>
  fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', '-', ', ', '/')), { maxLength }).map((parts) => parts.map(([word, separator]) => word + separator).join('').trim());
const message = messageOf(WORDS, 8);
/** Few words, long messages: repeated words, and phrases whose adjacent pairs are all there but not in sequence. */
const repetitive = messageOf(['a', 'b', 'c', 'abc'], 10);

/** Writes the messages as one segment of `blockRows`-row blocks, in this order. */
async function segmentOf(messages: string[], blockRows = BLOCK_ROWS): Promise<Segment> {
  const columns = allocateColumns(messages.length);
  messages.forEach((_text, row) => {
    columns.ts[row] = 1_000_000_000n + BigInt(row);
    columns.fields[row] = '';
  });
  addTextMessages(columns, messages);
  const path = join(dir, `seg-${run++}.fks`);
  await writeSegment(path, { id: run, walGeneration: 0, replaces: [], streams: [labelsKey({ device: 'gw', source: 'file' })] }, columns, { blockRows });
  return Segment.open(path);
}

/** Every key a row yields, by kind, from the shared tokenizer (independent of the hashing walk). */
function naiveKeys(text: string): Map<string, { key: [number, number]; repeated: boolean }> {
  const tokens = tokenize(text);
  const keys = new Map<string, { key: [number, number]; repeated: boolean }>();
  const put = (name: string, key: [number, number], repeated = false) => keys.set(name, { key, repeated: repeated || (keys.get(name)?.repeated ?? false) });
  const digit = (text: string) => /[0-9]/.test(text);
  tokens.forEach((token, i) => {
    put(`w:${token}`, tokenHashes(token), keys.has(`w:${token}`));
    for (let length = PREFIX_LENGTH; length <= Math.min(token.length, LONG_PREFIX_LENGTH); length++) {
      if (!digit(token.slice(0, length))) put(`p:${token.slice(0, length)}`, prefixHashes(token, length)!);
    }
    if (i > 0 && !digit(tokens[i - 1]) && !digit(token)) put(`2:${tokens[i - 1]} ${token}`, pairHashes(tokenHashes(tokens[i - 1]), tokenHashes(token)));
  });
  return keys;
}

function naiveMatch(text: string, phrase: string[], prefix: boolean): boolean {
  const tokens = tokenize(text);
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    if (phrase.every((token, k) => (k === phrase.length - 1 && prefix ? tokens[i + k].startsWith(token) : tokens[i + k] === token))) return true;
  }
  return false;
}

const bitsOf = (bitmap: Uint8Array, rows: number) => Array.from({ length: rows }, (_, row) => (bitmap[row >> 3] >> (row & 7)) & 1);

describe('block postings', () => {
  it('round-trip: each word, prefix, pair and repeat bitmap holds exactly its rows; the bloom filter holds every word and short prefix (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 40 }), async (messages) => {
        const segment = await segmentOf(messages);
        try {
          segment.footer.blocks.forEach((block, index) => {
            const start = index * BLOCK_ROWS;
            const bits = (bitmap: Uint8Array) => bitsOf(bitmap, block.rows);
            const rows = messages.slice(start, start + block.rows).map(naiveKeys);
            const all = new Map<string, [number, number]>();
            for (const keys of rows) for (const [name, { key }] of keys) all.set(name, key);
            const minRows = Math.max(2, Math.ceil(block.rows / 64));
            for (const [name, key] of all) {
              const expected = rows.map((keys) => (keys.has(name) ? 1 : 0));
              const bitmap = segment.posting(block, ...key);
              if (expected.reduce<number>((sum, bit) => sum + bit, 0) >= minRows) expect(bitmap && bits(bitmap), name).toEqual(expected);
              else expect(bitmap, name).toBeNull();
              const inBloom = name.startsWith('w:') || (name.startsWith('p:') && name.length - 2 === PREFIX_LENGTH);
              if (inBloom) expect(segment.mayHold(block, ...key), name).toBe(true);
              if (name.startsWith('w:')) {
                const repeated = rows.map((keys) => (keys.get(name)?.repeated ? 1 : 0));
                const repeats = segment.posting(block, ...repeatHashes(...key));
                if (bitmap && repeated.includes(1)) expect(repeats && bits(repeats), `repeats of ${name}`).toEqual(repeated);
                else expect(repeats, `repeats of ${name}`).toBeNull();
              }
            }
          });
        } finally {
          segment.close();
        }
      }),
      { numRuns: 80 },
    );
  });

  it('row groups: every word without a bitmap is in the row-group filter for each group holding it, and rare words are found exactly (property)', async () => {
    const rare = fc.stringMatching(/^[a-f0-9]{4,10}$/);
    const rows = fc.array(fc.tuple(fc.constantFrom('reading ok', 'link down', 'trace', 'seq'), fc.option(rare, { nil: undefined })), { minLength: 1, maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(rows, fc.array(rare, { maxLength: 3 }), async (parts, extra) => {
        const messages = parts.map(([text, id]) => (id === undefined ? text : `${text} ${id}`));
        const blockRows = 128;
        const segment = await segmentOf(messages, blockRows);
        try {
          segment.footer.blocks.forEach((block, index) => {
            const start = index * blockRows;
            const texts = messages.slice(start, start + block.rows);
            const groupRows = groupRowsOf(block.rows);
            const words = new Set(texts.flatMap((text) => tokenize(text)));
            for (const word of words) {
              const key = tokenHashes(word);
              if (word.length < GROUP_MIN_LENGTH || segment.keepsPosting(block, ...key)) continue;
              const groups = segment.wordGroups(block, ...key);
              texts.forEach((text, row) => {
                if (tokenize(text).includes(word)) expect((groups >>> Math.floor(row / groupRows)) & 1, `${word} in row ${row}`).toBe(1);
              });
            }
            for (const word of [...words, ...extra]) {
              const plan = new QueryPlan(parseQuery(word).root);
              const expected = texts.map((text) => (tokenize(text).includes(word) ? 1 : 0));
              const rowsFound = plan.mayMatch(segment, block) ? Array.from(plan.evaluate(segment, segment.block(index), new Uint8Array(block.rows).fill(1))) : expected.map(() => 0);
              expect(rowsFound, word).toEqual(expected);
            }
          });
        } finally {
          segment.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('phrase and prefix prefilter: never drops a true match, and counts answered from bitmaps alone are exact (property)', async () => {
    const general = fc
      .tuple(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }))
      .map(([words, cut]) => (cut === undefined ? `"${words.join(' ')}"` : `${[...words.slice(0, -1), words[words.length - 1].slice(0, cut)].join('-')}*`));
    const term = fc.oneof(general, fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 3, maxLength: 4 }).map((words) => `"${words.join(' ')}"`));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(message, repetitive), { minLength: 1, maxLength: 40 }), fc.array(term, { minLength: 1, maxLength: 8 }), async (messages, queries) => {
        const segment = await segmentOf(messages);
        try {
          for (const query of queries) {
            const root = parseQuery(query).root;
            if (root.kind !== 'text') continue;
            const plan = new QueryPlan(root);
            segment.footer.blocks.forEach((block, index) => {
              const start = index * BLOCK_ROWS;
              const expected = messages.slice(start, start + block.rows).map((text) => (naiveMatch(text, root.tokens, root.prefix) ? 1 : 0));
              const matches = expected.reduce<number>((sum, bit) => sum + bit, 0);
              if (matches > 0) expect(plan.mayMatch(segment, block), query).toBe(true);
              const quick = plan.countWithoutReading(segment, block, {});
              if (quick !== null) expect(quick, query).toBe(matches);
              const rows = plan.evaluate(segment, segment.block(index), new Uint8Array(block.rows).fill(1));
              expect(Array.from(rows), query).toEqual(expected);
            });
          }
        } finally {
          segment.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
