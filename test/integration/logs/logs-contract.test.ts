import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldkitError } from '../../../shared/contract/errors.js';
import type { ImportProgress, ImportSummary, LogHit } from '../../../shared/contract/logs.js';
import { overWebSocket, type Harness } from '../../contract/transports.js';

const fixtures = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));

/** Runs one import through the contract and collects what the stream said. */
function runImport(harness: Harness, paths: string[], device?: string) {
  return new Promise<{ progress: ImportProgress[]; done: ImportSummary; error?: FieldkitError }>((resolve, reject) => {
    const progress: ImportProgress[] = [];
    let done: ImportSummary | undefined;
    harness.client.subscribe('logs.import', { paths, device }, {
      next: (event) => (event.type === 'progress' ? progress.push(event) : (done = event)),
      end: (error) => (done ? resolve({ progress, done, error }) : reject(error ?? new Error('ended without a summary'))),
    });
  });
}

describe('the Logs section backend over the contract', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await overWebSocket();
  });
  afterAll(async () => harness.close());

  it('imports a bundle and a syslog file with progress and a summary, then ends the stream', async () => {
    const { progress, done, error } = await runImport(harness, [`${fixtures}bundle`, `${fixtures}logfile_syslog.0`], 'gw-17');
    expect(error).toBeUndefined();
    expect(done).toMatchObject({ files: 6, records: 25, cancelled: false });
    const last = progress.at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect((await harness.client.call('logs.stats', {})).rows).toBe(25);
  });

  it('searches newest first, in pages with a cursor', async () => {
    const first = await harness.client.call('logs.search', { query: 'device:gw-17', limit: 10 });
    expect(first.hits).toHaveLength(10);
    expect(first.cursor).not.toBeNull();
    const second = await harness.client.call('logs.search', { query: 'device:gw-17', limit: 100, cursor: first.cursor });
    expect(second.hits).toHaveLength(15);
    expect(second.cursor).toBeNull();
    const times = [...first.hits, ...second.hits].map((hit) => BigInt(hit.tsNs));
    expect(times).toEqual([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  });

  it('finds words case-insensitively and agrees across search, count, histogram and facets', async () => {
    const query = 'LOOKUP';
    const { hits } = await harness.client.call('logs.search', { query, limit: 100 });
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.every((hit) => /\blookup\b/i.test(hit.message))).toBe(true);

    const { count } = await harness.client.call('logs.count', { query });
    const histogram = await harness.client.call('logs.histogram', { query, buckets: 30 });
    const facets = await harness.client.call('logs.facets', { query });
    expect(count).toBe(hits.length);
    expect(histogram.total).toBe(count);
    expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(count);
    expect(facets.source.reduce((a, f) => a + f.count, 0)).toBe(count);
    expect(facets.device).toEqual([{ value: 'gw-17', count }]);
  });

  it('explains a query mistake, naming where it is', async () => {
    const error = await harness.client.call('logs.search', { query: 'level>=loud' }).catch((e: FieldkitError) => e);
    expect(error).toMatchObject({ code: 'bad_request' });
    expect((error as FieldkitError).message).toMatch(/^Query error at character \d+/);
  });

  it('tails a query: matches imported after subscribing arrive live', async () => {
    const seen: LogHit[] = [];
    const stop = harness.client.subscribe('logs.tail', { query: 'device:later' }, { next: (event) => seen.push(...event.hits) });
    await harness.client.call('logs.stats', {});
    await runImport(harness, [`${fixtures}logfile_generic.0`], 'later');
    await expect.poll(() => seen.length).toBe(2);
    expect(seen.every((hit) => hit.device === 'later')).toBe(true);
    stop();
  });

  it('reports a missing path in the summary and imports the rest', async () => {
    const { done } = await runImport(harness, [`${fixtures}no-such-file.log`, `${fixtures}logfile_syslog.1`], 'gw-18');
    expect(done.records).toBe(4);
    expect(done.notes.join('\n')).toContain('no-such-file.log');
  });
});
