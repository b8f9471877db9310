import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LogIndex, type SearchHit } from './log-index.js';
import { SEGMENT_VERSION } from './segment-format.js';
import { Segment } from './segment.js';
import { LEVELS, type Level, type LogRecord } from '../../../shared/logs/record.js';
import { parseQuery, type QueryNode } from '../../../shared/logs/query.js';
import { tokenize } from '../../../shared/logs/tokens.js';

/** Test seams: a segment write made to fail once released, and a count of segments encoded by seals. */
const seams = vi.hoisted(() => ({ failNextWrite: null as Promise<void> | null, encoded: 0, onEncoded: () => {} }));
vi.mock('../storage/atomic-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../storage/atomic-file.js')>();
  const writeFileAtomic: typeof real.writeFileAtomic = async (path, data) => {
    const failure = seams.failNextWrite;
    if (!failure) return real.writeFileAtomic(path, data);
    seams.failNextWrite = null;
    await failure;
    throw new Error('ENOSPC: no space left on device (test)');
  };
  return { ...real, writeFileAtomic };
});
vi.mock('./seal.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./seal.js')>();
  const encodeBatches: typeof real.encodeBatches = async (...args) => {
    const segment = await real.encodeBatches(...args);
    seams.encoded++;
    seams.onEncoded();
    return segment;
  };
  return { ...real, encodeBatches };
});

let dir: string;
beforeEach(async () => {
  Object.assign(seams, { failNextWrite: null, encoded: 0, onEncoded: () => {} });
  dir = await mkdtemp(join(tmpdir(), 'fk-index-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BASE = 1_764_324_000_000_000_000n;
const labels = (device: string, source: LogRecord['labels']['source'] = 'syslog', unit?: string) => ({ device, source, ...(unit ? { unit } : {}) });

function record(second: number, message: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { tsNs: BASE + BigInt(second) * 1_000_000_000n, labels: labels('gw-1'), level: 'info', message, ...extra };
}

/** Independent reference: tokenize each message and compare token arrays. */
function naive(node: QueryNode, r: LogRecord): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return node.children.every((child) => naive(child, r));
    case 'or':
      return node.children.some((child) => naive(child, r));
    case 'not':
      return !naive(node.child, r);
    case 'text': {
      const tokens = tokenize(r.message);
      for (let i = 0; i + node.tokens.length <= tokens.length; i++) {
        if (node.tokens.every((token, k) => (k === node.tokens.length - 1 && node.prefix ? tokens[i + k].startsWith(token) : tokens[i + k] === token))) return true;
      }
      return false;
    }
    case 'field': {
      const value = (r.labels as unknown as Record<string, string | undefined>)[node.field] ?? r.fields?.[node.field];
      if (value === undefined) return false;
      return node.prefix ? value.toLowerCase().startsWith(node.value) : value.toLowerCase() === node.value;
    }
    case 'level': {
      const a = LEVELS.indexOf(r.level);
      const w = LEVELS.indexOf(node.level);
      return { '=': a === w, '>=': a >= w, '>': a > w, '<=': a <= w, '<': a < w }[node.op];
    }
    case 'regex':
      return new RegExp(node.source, node.flags).test(r.message);
  }
}

const key = (hit: Pick<SearchHit, 'tsNs' | 'message'>) => `${hit.tsNs}|${hit.message}`;

/** How many blocks `query` decodes, counted by `spy` on Segment.prototype.block. */
async function decodesOf(spy: { mockClear(): void; mock: { calls: unknown[] } }, query: () => Promise<unknown>): Promise<number> {
  spy.mockClear();
  await query();
  return spy.mock.calls.length;
}

async function allPages(index: LogIndex, query: string, limit: number): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const result = await index.search(query, { limit, cursor });
    hits.push(...result.hits);
    cursor = result.cursor;
    if (!cursor) break;
  }
  return hits;
}

describe('LogIndex', () => {
  it('finds words, phrases, prefixes, fields and levels across sealed and unsealed records', async () => {
    const index = await LogIndex.open(dir, { sealRows: 4, blockRows: 3 });
    await index.append([
      record(1, 'eth0: Link is Down', { level: 'warn', labels: labels('gw-1', 'journald', 'networkd.service') }),
      record(2, 'eth0: link is up'),
      record(3, 'sensor temp=21.5 unit=C', { fields: { sensor: 'T1' } }),
      record(4, 'Connection reset by peer 10.0.0.7', { level: 'error', labels: labels('gw-2', 'k3s') }),
      record(5, 'connecting to broker', { labels: labels('gw-2', 'mqtt') }),
      record(6, 'ünïcode Grüße from Café', { level: 'debug' }),
    ]);
    expect(await index.count('link')).toBe(2);
    expect(await index.count('"link is down"')).toBe(1);
    expect(await index.count('conn*')).toBe(2);
    expect(await index.count('device:gw-2')).toBe(2);
    expect(await index.count('source:journald unit:networkd.service')).toBe(1);
    expect(await index.count('level>=warn')).toBe(2);
    expect(await index.count('sensor:t1')).toBe(1);
    expect(await index.count('"10.0.0.7"')).toBe(1);
    expect(await index.count('grüße')).toBe(1);
    expect(await index.count('link -down')).toBe(1);
    expect(await index.count('broker OR peer')).toBe(2);
    expect(await index.count('/reset by \\w+ \\d+\\.\\d+/')).toBe(1);
    const page = await index.search('', { limit: 2 });
    expect(page.hits.map((hit) => hit.message)).toEqual(['ünïcode Grüße from Café', 'connecting to broker']);
    expect((await index.topValues('', 'device'))[0]).toEqual({ value: 'gw-1', count: 4 });
    const histogram = await index.histogram('link', { bucketNs: 2_000_000_000n });
    expect(histogram.total).toBe(2);
    await index.close();
  });

  it('keeps every acknowledged record across close/reopen and across an unclean stop', async () => {
    const first = await LogIndex.open(dir, { sealRows: 10, blockRows: 4 });
    await first.append(Array.from({ length: 25 }, (_, i) => record(i, `line ${i}`)));
    await first.close();
    const second = await LogIndex.open(dir, { sealRows: 1000 });
    expect(await second.count('line')).toBe(25);
    await second.append([record(100, 'only in the wal')]);
    // no close: the next open must replay the WAL
    const third = await LogIndex.open(dir);
    expect(await third.count('line OR wal')).toBe(26);
    expect((await third.stats()).rows).toBe(26);
    await third.close();
  });

  it('seals rows replayed from the WAL when they hold appends back, instead of waiting for a seal that never comes', async () => {
    const first = await LogIndex.open(dir, { sealRows: 1000 });
    await first.append(Array.from({ length: 30 }, (_, i) => record(i, `line ${i}`)));
    await first.close({ seal: false });
    // 30 replayed rows are past twice sealRows, and no seal is queued for them
    const second = await LogIndex.open(dir, { sealRows: 4, blockRows: 3, idleSealMs: 0 });
    await Promise.all([second.append([record(40, 'after reopen')]), second.append([record(41, 'after reopen')])]);
    expect(await second.count('line OR reopen')).toBe(32);
    await second.close();
    expect((await readdir(join(dir, 'segments'))).length).toBeGreaterThan(0);
  });

  it('keeps the WAL of a seal encoded while the seal before fails to write its segment', async () => {
    let release!: () => void;
    seams.failNextWrite = new Promise<void>((resolve) => (release = resolve));
    const secondEncoded = new Promise<void>((resolve) => (seams.onEncoded = () => seams.encoded === 2 && resolve()));
    const index = await LogIndex.open(dir, { sealRows: 4, blockRows: 3, idleSealMs: 0 });
    await index.append(Array.from({ length: 5 }, (_, i) => record(i, `row ${i}`)));
    await index.append(Array.from({ length: 5 }, (_, i) => record(5 + i, `row ${5 + i}`)));
    // the first seal's segment write is still pending when the second seal has its segment ready
    await secondEncoded;
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(index.append([record(20, 'row 20')])).rejects.toThrow(/no space left/);
    expect(await index.count('row')).toBe(10);
    // no further seal: what the disk holds now must have every acknowledged record
    await index.close({ seal: false });
    const reopened = await LogIndex.open(dir);
    expect(await reopened.count('row')).toBe(10);
    await reopened.close();
  });

  it('counts what the histogram and top values load in its block cache, within its budget', async () => {
    // a budget smaller than any block: nothing a query loads may stay cached, so each query decodes its blocks again
    const index = await LogIndex.open(dir, { sealRows: 40, blockRows: 10, idleSealMs: 0, blockCacheBytes: 1 });
    await index.append(Array.from({ length: 40 }, (_, i) => record(i, `pump ${i % 2 ? 'failed' : 'ok'} again`, { fields: { zone: `z${i % 3}` } })));
    await index.flush();
    const decoded = vi.spyOn(Segment.prototype, 'block');
    for (const query of [() => index.histogram('failed'), () => index.topValues('failed', 'zone')]) {
      const first = await decodesOf(decoded, query);
      expect(first).toBe(4);
      expect(await decodesOf(decoded, query)).toBe(first);
    }
    decoded.mockRestore();
    await index.close();
  });

  it('counts the messages a result page reads in its block cache', async () => {
    // a block's columns fit the budget, its messages do not: once a page has read them, the block is not kept
    const index = await LogIndex.open(dir, { sealRows: 10, blockRows: 10, idleSealMs: 0, blockCacheBytes: 4096 });
    await index.append(Array.from({ length: 10 }, (_, i) => record(i, `pump failed ${'x'.repeat(1000)} ${i}`)));
    await index.flush();
    const decoded = vi.spyOn(Segment.prototype, 'block');
    expect(await decodesOf(decoded, () => index.histogram('failed'))).toBe(1);
    expect(await decodesOf(decoded, () => index.histogram('failed'))).toBe(0);
    expect((await index.search('failed', { limit: 3 })).hits).toHaveLength(3);
    expect(await decodesOf(decoded, () => index.histogram('failed'))).toBe(1);
    decoded.mockRestore();
    await index.close();
  });

  it('merges small segments, messages intact, and applies retention by size', async () => {
    const index = await LogIndex.open(dir, { sealRows: 5, mergeBelowRows: 8, mergeMinSegments: 3 });
    const records: LogRecord[] = [];
    for (let batch = 0; batch < 6; batch++) {
      // every other batch is not ASCII, and rows arrive out of time order
      const batchRecords = Array.from({ length: 5 }, (_, i) => record(batch * 10 + 4 - i, `batch ${batch} row ${i}${batch % 2 ? ' café ✓' : ''}`));
      records.push(...batchRecords);
      await index.append(batchRecords);
      await index.flush();
    }
    expect((await index.stats()).segments).toBeLessThan(6);
    expect((await allPages(index, 'batch', 7)).map(key).sort()).toEqual(records.map(key).sort());
    await index.close();
    const limited = await LogIndex.open(dir, { retention: { maxBytes: 1 } });
    expect((await limited.stats()).segments).toBe(0);
    await limited.close();
  });

  it('answers a query asked again, after seals, merges and time passing, as it answered when first asked', async () => {
    let now = BASE;
    const index = await LogIndex.open(dir, { sealRows: 5, mergeBelowRows: 8, mergeMinSegments: 3, idleSealMs: 0, nowNs: () => now });
    const query = 'pump device:gw-2 last 30s';
    const records: LogRecord[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const batchRecords = Array.from({ length: 5 }, (_, i) => ({ ...record(batch * 10 + i, `pump ${batch} row ${i}`), labels: labels(i % 2 ? 'gw-2' : 'gw-1') }));
      records.push(...batchRecords);
      await index.append(batchRecords);
      if (batch % 2) await index.flush();
      now = BASE + BigInt(batch * 10 + 5) * 1_000_000_000n;
      const from = now - 30_000_000_000n;
      const expected = records.filter((r) => r.labels.device === 'gw-2' && r.tsNs >= from && r.tsNs < now).length;
      expect(await index.count(query)).toBe(expected);
      expect((await index.search(query, { limit: 100 })).hits).toHaveLength(expected);
    }
    expect((await index.stats()).segments).toBeLessThan(3);
    await index.close();
  });

  it('answers a query asked again from the candidate blocks of each segment', async () => {
    const index = await LogIndex.open(dir, { sealRows: 4, blockRows: 2, idleSealMs: 0 });
    // the first segment holds the word in its first block, the second in its second: each keeps its own list
    await index.append(['valve open', 'idle', 'idle', 'idle'].map((message, i) => record(i, message)));
    await index.flush();
    expect(await index.count('valve')).toBe(1);
    await index.append(['idle', 'idle', 'valve shut', 'idle'].map((message, i) => record(10 + i, message)));
    await index.flush();
    expect((await index.stats()).segments).toBe(2);
    expect(await index.count('valve')).toBe(2);
    expect((await index.search('valve', { limit: 10 })).hits.map((hit) => hit.message)).toEqual(['valve shut', 'valve open']);
    await index.close();
  });

  it('seals after half of sealRows while no seal is running, so that the encoders start early in a burst', async () => {
    const index = await LogIndex.open(dir, { sealRows: 10, idleSealMs: 0 });
    await index.append(Array.from({ length: 5 }, (_, i) => record(i, `row ${i}`)));
    await expect.poll(async () => (await index.stats()).unsealedRows).toBe(0);
    expect((await index.stats()).segments).toBe(1);
    await index.append(Array.from({ length: 4 }, (_, i) => record(10 + i, `row ${10 + i}`)));
    expect((await index.stats()).unsealedRows).toBe(4);
    await index.close();
  });

  it('delivers new matches to live-tail subscribers', async () => {
    const index = await LogIndex.open(dir);
    const seen: string[] = [];
    const stop = await index.subscribe('level>=error', (hits) => seen.push(...hits.map((hit) => hit.message)));
    await index.append([record(1, 'fine'), record(2, 'broken', { level: 'error' })]);
    await stop();
    await index.append([record(3, 'broken again', { level: 'error' })]);
    expect(seen).toEqual(['broken']);
    await index.close();
  });

  it('rejects invalid records with a clear error and keeps the index usable', async () => {
    const index = await LogIndex.open(dir);
    await expect(index.append([record(1, 'ok'), { ...record(2, 'bad'), level: 'loud' as Level }])).rejects.toThrow(/record 1: unknown level/);
    await index.append([record(3, 'still works')]);
    expect(await index.count('')).toBe(1);
    await index.close();
  });

  it('refuses an index written in an older segment format with a message saying what to do', async () => {
    const index = await LogIndex.open(dir);
    await index.append([record(1, 'written by format 2')]);
    await index.close();
    const [name] = (await readdir(join(dir, 'segments'))).filter((file) => file.endsWith('.fks'));
    const path = join(dir, 'segments', name);
    const bytes = await readFile(path);
    const footerLength = bytes.readUInt32LE(bytes.length - 16);
    const footerStart = bytes.length - 16 - footerLength;
    // format 2 stored its footer as plain JSON
    const footer = Buffer.from(inflateRawSync(bytes.subarray(footerStart, footerStart + footerLength)).toString('utf8').replace(`"version":${SEGMENT_VERSION}`, '"version":2'));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(footer.length, 0);
    trailer.writeUInt32LE(crc32(footer), 4);
    await writeFile(path, Buffer.concat([bytes.subarray(0, footerStart), footer, trailer, bytes.subarray(bytes.length - 8)]));
    await expect(LogIndex.open(dir)).rejects.toThrow(/has segment format 2, this FieldKit reads formats 3 to 4: move the index folder away and import the logs again/);
    // the folder is not left locked
    await expect(LogIndex.open(dir)).rejects.toThrow(/segment format 2/);
  });

  it('reads an index written in segment format 3 (deflated columns and bitmaps)', async () => {
    const fixture = fileURLToPath(new URL('../../../test/fixtures/index-format3/', import.meta.url));
    await cp(join(fixture, 'index'), dir, { recursive: true });
    const stored = JSON.parse(await readFile(join(fixture, 'records.json'), 'utf8')) as Array<Omit<LogRecord, 'tsNs'> & { tsNs: string }>;
    const records = stored.map((row) => ({ ...row, tsNs: BigInt(row.tsNs) }));
    const index = await LogIndex.open(dir);
    try {
      expect((await index.stats()).damage).toEqual([]);
      await checkQueries(index, records, ['link', '"link down"', 'volt*', 'sensor:t1', 'level>=warn café', '-timeout retry', '/eth0, up/']);
    } finally {
      await index.close();
    }
  });

  it('refuses WAL records written in an older batch format instead of dropping them', async () => {
    const index = await LogIndex.open(dir);
    await index.append([record(1, 'acknowledged, not yet sealed')]);
    await index.close({ seal: false });
    const [name] = (await readdir(join(dir, 'wal'))).filter((file) => file.endsWith('.wal'));
    const path = join(dir, 'wal', name);
    const bytes = await readFile(path);
    // the first frame's payload starts with its batch format version
    bytes[8] = 2;
    bytes.writeUInt32LE(crc32(bytes.subarray(8, 8 + bytes.readUInt32LE(0))), 4);
    await writeFile(path, bytes);
    await expect(LogIndex.open(dir)).rejects.toThrow(/holds records in another format \(unknown record batch version 2\): move the index folder away and import the logs again/);
    expect(await readFile(path)).toEqual(bytes);
  });

  it('answers like a naive scan for random corpora and queries (property)', { timeout: 90_000 }, async () => {
    const words = ['alpha', 'Beta', 'gamma', 'delta', 'eth0', 'link', 'down', 'up', 'café', '10.0.0.1', 'ERROR', 'err', 'timeout'];
    const separators = [' ', ' ', ', ', ': ', '-', '=', '/', ' (', ') '];
    const message = fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...separators)), { minLength: 0, maxLength: 7 }).map((parts) => parts.map(([w, s]) => w + s).join('').trim());
    const rec = fc.record({
      second: fc.integer({ min: 0, max: 600 }),
      message,
      level: fc.constantFrom(...LEVELS),
      device: fc.constantFrom('gw-1', 'gw-2', 'GW-3'),
      source: fc.constantFrom('syslog', 'k3s', 'pod') as fc.Arbitrary<LogRecord['labels']['source']>,
      sensor: fc.option(fc.constantFrom('t1', 'T2'), { nil: undefined }),
    });
    const term = fc.oneof(
      fc.constantFrom(...words).map((w) => w.toLowerCase().includes('.') ? `"${w}"` : w),
      fc.tuple(fc.constantFrom(...words), fc.constantFrom(...words)).map(([a, b]) => `"${a} ${b}"`),
      fc.constantFrom('al*', 'e*', 'err*', 'time*', 'caf*', 'd*'),
      fc.constantFrom('device:gw-1', 'device:gw-3', 'source:k3s', 'sensor:t2', 'device:gw*', 'level:error', 'level>=warn', 'level<info'),
      fc.constantFrom('/li?nk/', '/e[a-z]+r/i', '/^alpha/', '/down$/', '/10\\.0/', '/(up|down) alpha/'),
    );
    const clause = fc.tuple(fc.boolean(), term).map(([neg, t]) => (neg ? `-${t}` : t));
    const query = fc
      .tuple(fc.array(clause, { minLength: 1, maxLength: 3 }), fc.option(fc.array(clause, { minLength: 1, maxLength: 2 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }))
      .map(([left, right, minutes]) => {
        let text = left.join(' ');
        if (right) text = `(${text}) OR ${right.join(' ')}`;
        if (minutes) text += ` since:${(BASE + BigInt(minutes) * 60_000_000_000n).toString()}`;
        return text;
      });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rec, { maxLength: 60 }), fc.array(query, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 60 }), async (rows, queries, sealAfter) => {
        const runDir = join(dir, `run-${run++}`);
        const index = await LogIndex.open(runDir, { sealRows: 1_000_000, blockRows: 7, idleSealMs: 0 });
        const records = rows.map((row) =>
          record(row.second, row.message, { level: row.level, labels: labels(row.device, row.source), ...(row.sensor ? { fields: { sensor: row.sensor } } : {}) }),
        );
        try {
          await index.append(records.slice(0, sealAfter));
          await index.flush();
          await index.append(records.slice(sealAfter));
          await checkQueries(index, records, queries);
        } finally {
          await index.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

async function checkQueries(index: LogIndex, records: LogRecord[], queries: string[]): Promise<void> {
  for (const q of queries) {
    const parsed = parseQuery(q);
    const expected = records.filter((r) => naive(parsed.root, r) && (parsed.range.fromNs === undefined || r.tsNs >= parsed.range.fromNs));
    expect(await index.count(q), q).toBe(expected.length);
    const hits = await allPages(index, q, 5);
    expect(hits.map(key).sort(), q).toEqual(expected.map(key).sort());
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].tsNs >= hits[i].tsNs).toBe(true);
    const histogram = await index.histogram(q, { bucketNs: 60_000_000_000n });
    expect(histogram.total, q).toBe(expected.length);
    const top = await index.topValues(q, 'device', { limit: 10 });
    expect(top.reduce((sum, value) => sum + value.count, 0), q).toBe(expected.length);
  }
}
