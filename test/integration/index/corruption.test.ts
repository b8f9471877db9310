import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogIndex } from '../../../electron/services/index/log-index.js';
import { Segment } from '../../../electron/services/index/segment.js';
import type { LogRecord } from '../../../shared/logs/record.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-corrupt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BASE = 1_764_324_000_000_000_000n;
const SEGMENTS = 4;
const PER_SEGMENT = 200;
const BLOCK_ROWS = 50;

/** Four segments of 200 records (four blocks each); segment s holds the word `seg<s>` in every message. */
async function buildIndex(): Promise<string[]> {
  const index = await LogIndex.open(dir, { sealRows: 1_000_000, blockRows: BLOCK_ROWS, mergeMinSegments: 1_000 });
  for (let s = 0; s < SEGMENTS; s++) {
    const records: LogRecord[] = Array.from({ length: PER_SEGMENT }, (_, i) => ({
      tsNs: BASE + BigInt(s * PER_SEGMENT + i) * 1_000_000_000n,
      labels: { device: `gw-${s}`, source: 'journald' },
      level: i % 10 === 0 ? 'error' : 'info',
      message: `seg${s} row ${i} sensor reading ${i * 7} ok`,
    }));
    await index.append(records);
    await index.flush();
  }
  await index.close();
  return (await readdir(join(dir, 'segments'))).filter((name) => name.endsWith('.fks')).sort().map((name) => join(dir, 'segments', name));
}

async function flip(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] ^= 0x5a;
  bytes[offset + 1] ^= 0xa5;
  await writeFile(path, bytes);
}

describe('log index corruption handling', () => {
  it('isolates a damaged block: it is reported, every other row still answers', async () => {
    const files = await buildIndex();
    const victim = Segment.open(files[1]);
    const block = victim.footer.blocks[2];
    victim.close();
    await flip(files[1], block.offset + block.metaBytes + Math.floor(block.messageBytes / 2));

    const index = await LogIndex.open(dir);
    expect(await index.count('"seg1 row"')).toBe(PER_SEGMENT - BLOCK_ROWS);
    const page = await index.search('sensor', { limit: 10_000 });
    expect(page.hits).toHaveLength(SEGMENTS * PER_SEGMENT - BLOCK_ROWS);
    // once found, the damaged block is left out of every answer, even those that would not read it
    expect(await index.count('seg1')).toBe(PER_SEGMENT - BLOCK_ROWS);
    expect(await index.count('seg0')).toBe(PER_SEGMENT);
    expect(await index.count('seg3 level:error')).toBe(PER_SEGMENT / 10);
    const { damage } = await index.stats();
    expect(damage).toEqual([{ file: files[1], block: 2, reason: 'message column checksum mismatch', rows: BLOCK_ROWS }]);
    await index.close();
  });

  it('reports a segment whose footer is damaged and answers from the others', async () => {
    const files = await buildIndex();
    const size = (await readFile(files[2])).length;
    await flip(files[2], size - 40);
    const index = await LogIndex.open(dir);
    const { damage, segments } = await index.stats();
    expect(segments).toBe(SEGMENTS - 1);
    expect(damage).toEqual([{ file: files[2], reason: expect.stringMatching(/segment unreadable: (footer checksum mismatch|missing end marker|implausible footer length)/) }]);
    expect(await index.count('seg2')).toBe(0);
    expect(await index.count('seg3')).toBe(PER_SEGMENT);
    await index.append([{ tsNs: BASE, labels: { device: 'gw-9', source: 'serial' }, level: 'info', message: 'after damage' }]);
    await index.flush();
    await index.close();
    const reopened = await LogIndex.open(dir);
    expect(await reopened.count('damage')).toBe(1);
    expect(await reopened.count('seg0')).toBe(PER_SEGMENT);
    await reopened.close();
  });

  it('still answers exactly when the word filters are damaged (no skipping)', async () => {
    const files = await buildIndex();
    const victim = Segment.open(files[0]);
    const filterOffset = victim.footer.filterOffset;
    victim.close();
    await flip(files[0], filterOffset + 3);
    const index = await LogIndex.open(dir);
    expect(await index.count('seg0')).toBe(PER_SEGMENT);
    expect(await index.count('seg0 -ok')).toBe(0);
    expect(await index.count('"row 7"')).toBe(SEGMENTS);
    await index.close();
  });

  it('cuts garbage after the last WAL frame and keeps the acknowledged records', async () => {
    const index = await LogIndex.open(dir);
    await index.append([{ tsNs: BASE, labels: { device: 'gw-1', source: 'serial' }, level: 'warn', message: 'kept in the wal' }]);
    await index.close({ seal: false });
    const [walFile] = (await readdir(join(dir, 'wal'))).filter((name) => name.endsWith('.wal'));
    await appendFile(join(dir, 'wal', walFile), Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3]));
    const reopened = await LogIndex.open(dir);
    expect(await reopened.count('kept')).toBe(1);
    expect((await reopened.stats()).damage).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^WAL tail cut/) })]);
    await reopened.close();
  });
});
