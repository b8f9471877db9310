import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { ThreadedBlockEncoder } from './block-encoder-pool.js';
import { blockInput, type BlockEncoder } from './block-encoder.js';
import { addTextMessages } from '../../../test/harness/seal-columns.js';
import { allocateColumns, writeSegment, type SealColumns } from './segment-format.js';

let dir: string;
let file = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-encoder-'));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const row = fc.record({
  message: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('Link DOWN on eth0', 'Grüße from sensor ÄÖ', 'timeout after 30 ms')),
  fields: fc.option(fc.dictionary(fc.constantFrom('sensor', 'unit'), fc.string({ maxLength: 6 })), { nil: undefined }),
  level: fc.integer({ min: 0, max: 6 }),
  stream: fc.integer({ min: 0, max: 2 }),
  gapNs: fc.bigInt({ min: 0n, max: 90_000_000_000n }),
});

type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

function columnsOf(rows: Row[], shared = false): SealColumns {
  const columns = allocateColumns(rows.length);
  let ts = 1_700_000_000_000_000_000n;
  rows.forEach((value, i) => {
    ts += value.gapNs;
    columns.ts[i] = ts;
    columns.stream[i] = value.stream;
    columns.level[i] = value.level;
    columns.fields[i] = value.fields ? JSON.stringify(value.fields) : '';
  });
  addTextMessages(columns, rows.map((value) => value.message), shared);
  return columns;
}

/** The first encoder thread's worker (null while stopped). */
const workerOf = (encoder: ThreadedBlockEncoder) => (encoder as unknown as { threads: Array<{ worker: Worker | null }> }).threads[0].worker;

async function segmentBytes(columns: SealColumns, encoder?: BlockEncoder): Promise<Buffer> {
  const path = join(dir, `seg-${file++}.fks`);
  await writeSegment(path, { id: 1, walGeneration: 0, replaces: [], streams: ['a', 'b', 'c'] }, columns, { blockRows: 8, encoder });
  return readFile(path);
}

describe('ThreadedBlockEncoder', () => {
  it('writes the same segment bytes as encoding every block on the calling thread', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const encoder = new ThreadedBlockEncoder();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), fc.boolean(), async (rows, shared) => {
          const columns = columnsOf(rows, shared);
          expect(await segmentBytes(columns, encoder)).toEqual(await segmentBytes(columns));
        }),
        { numRuns: 40 },
      );
    } finally {
      await encoder.close();
    }
  });

  it('encodes the blocks it had posted on its own thread when the worker dies', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const columns = columnsOf(Array.from({ length: 64 }, (_, i) => ({ message: `row ${i} of the block`, fields: undefined, level: 2, stream: 0, gapNs: 1000n })));
    const encoder = new ThreadedBlockEncoder();
    const written = segmentBytes(columns, encoder);
    // the first block has been posted: the first worker exists
    const worker = workerOf(encoder);
    expect(worker).not.toBeNull();
    await worker!.terminate();
    expect(await written).toEqual(await segmentBytes(columns));
    await encoder.close();
  });

  it('gives a worker a view of messages in shared memory (WAL batches), and a copy of its own of others', () => {
    const texts = ['pump 1 ok', 'pump 2 failed'];
    for (const shared of [true, false]) {
      const columns = allocateColumns(2);
      addTextMessages(columns, texts, shared);
      const input = blockInput(columns, 0, 2, true);
      expect(Buffer.from(input.messages).toString()).toBe(texts.join(''));
      expect(input.messages.buffer === columns.sources[0].bytes.buffer).toBe(shared);
    }
  });

  it('stops its worker when idle and starts another for the next blocks', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const columns = columnsOf(Array.from({ length: 32 }, (_, i) => ({ message: `row ${i}`, fields: undefined, level: 2, stream: 0, gapNs: 1000n })));
    const encoder = new ThreadedBlockEncoder(20);
    try {
      // the first block is posted before writeSegment first waits
      const firstWritten = segmentBytes(columns, encoder);
      const first = workerOf(encoder);
      expect(first).not.toBeNull();
      await firstWritten;
      await expect.poll(() => workerOf(encoder)).toBeNull();
      const written = segmentBytes(columns, encoder);
      expect(workerOf(encoder)).not.toBeNull();
      expect(workerOf(encoder)).not.toBe(first);
      expect(await written).toEqual(await segmentBytes(columns));
    } finally {
      await encoder.close();
    }
  });
});
