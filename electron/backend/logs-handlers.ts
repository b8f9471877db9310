import { FieldkitError } from '../../shared/contract/errors.js';
import { FACET_FIELDS, type ImportSummary, type LogHit } from '../../shared/contract/logs.js';
import { IndexClient, indexDirOf } from '../services/index/index-client.js';
import type { LaunchIndexProcess } from '../services/index/index-process-launch.js';
import type { ImportReport } from '../services/index/import/index.js';
import type { SearchHit } from '../services/index/log-index.js';
import type { Handlers } from './handlers.js';

type LogsHandlers = Pick<Handlers, 'logs.search' | 'logs.count' | 'logs.histogram' | 'logs.facets' | 'logs.stats' | 'logs.tail' | 'logs.import'>;

const MILLISECOND_NS = 1_000_000n;

export function toLogHit({ tsNs, labels, level, message, fields }: SearchHit): LogHit {
  return { tsNs: tsNs.toString(), ...labels, level, message, ...(fields && { fields }) };
}

/** Query mistakes come back as a bad request that says where; anything else is passed on. */
function explained(error: unknown): unknown {
  if (error instanceof Error && error.name === 'QuerySyntaxError') {
    const position = (error as Error & { position?: number }).position;
    return new FieldkitError('bad_request', `Query error${position === undefined ? '' : ` at character ${position + 1}`}: ${error.message}`, 'Press ? in the query bar for the syntax.');
  }
  return error;
}

async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explained(error);
  }
}

const range = (input: { fromNs?: string; toNs?: string }) => ({
  ...(input.fromNs !== undefined && { fromNs: BigInt(input.fromNs) }),
  ...(input.toNs !== undefined && { toNs: BigInt(input.toNs) }),
});

const COUNTER_NOTES: [keyof ImportReport['totals'], string][] = [
  ['invalidUtf8', 'lines with invalid UTF-8 (kept with replacement characters)'],
  ['nulBytes', 'lines with NUL bytes'],
  ['truncated', 'over-long lines stored truncated'],
  ['outOfOrder', 'records out of time order (previous time used, flagged)'],
  ['missingTs', 'records without a timestamp (previous time used, flagged)'],
  ['unparsed', 'lines not in the detected format (kept as plain text)'],
];

export function summarize(report: ImportReport): ImportSummary {
  const notes = COUNTER_NOTES.filter(([key]) => report.totals[key] > 0).map(([key, text]) => `${report.totals[key]} ${text}`);
  for (const file of report.files) {
    if (file.error) notes.push(`${file.path}: ${file.error}`);
    else if (file.skipped) notes.push(`${file.path} skipped: ${file.skipped}`);
  }
  return { files: report.totals.files, records: report.totals.records, cancelled: report.cancelled, durationMs: report.durationMs, notes };
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
const SPAN_PROBE_BUCKETS = 4096n;

/**
 * The time span a histogram should cover: the range asked for, else where the matches are (found with one coarse
 * pass over the index), so a query over one day of a year-long index fills the chart.
 */
async function matchSpan(idx: IndexClient, query: string, asked: { fromNs?: bigint; toNs?: bigint }): Promise<{ fromNs: bigint; toNs: bigint }> {
  const stats = await idx.stats();
  const toNs = asked.toNs ?? (stats.maxTsNs ?? 0n) + 1n;
  const fromNs = asked.fromNs ?? stats.minTsNs ?? toNs - 1n;
  if (asked.fromNs !== undefined && asked.toNs !== undefined) return { fromNs, toNs };
  const bucketNs = maxBig((toNs - fromNs) / SPAN_PROBE_BUCKETS + 1n, MILLISECOND_NS);
  const probe = await idx.histogram(query, { fromNs, toNs, bucketNs });
  if (probe.buckets.length === 0) return { fromNs, toNs };
  return {
    fromNs: asked.fromNs ?? probe.buckets[0].startNs,
    toNs: asked.toNs ?? probe.buckets.at(-1)!.startNs + bucketNs,
  };
}

/**
 * The Logs section's backend: the index in its own process, opened on first use. `index` is that lazy opener:
 * other producers (serial capture) append through it.
 */
export function createLogsHandlers(dataDir: string, launch?: LaunchIndexProcess): { handlers: LogsHandlers; index(): Promise<IndexClient>; close(): Promise<void> } {
  let opening: Promise<IndexClient> | undefined;
  const index = () => (opening ??= IndexClient.open(indexDirOf(dataDir), {}, launch));

  const handlers: LogsHandlers = {
    'logs.search': (input) =>
      answer(async () => {
        const page = await (await index()).search(input.query, { limit: input.limit, cursor: input.cursor, ...range(input) });
        return { hits: page.hits.map(toLogHit), cursor: page.cursor };
      }),
    'logs.count': (input) => answer(async () => ({ count: await (await index()).count(input.query, range(input)) })),
    'logs.histogram': (input) =>
      answer(async () => {
        const idx = await index();
        const span = await matchSpan(idx, input.query, range(input));
        const buckets = BigInt(input.buckets);
        const bucketNs = maxBig((span.toNs - span.fromNs + buckets - 1n) / buckets, MILLISECOND_NS);
        const from = (span.fromNs / bucketNs) * bucketNs;
        const counts = new Array<number>(Number((span.toNs - from + bucketNs - 1n) / bucketNs)).fill(0);
        const histogram = await idx.histogram(input.query, { ...span, bucketNs });
        for (const bucket of histogram.buckets) counts[Number((bucket.startNs - from) / bucketNs)] += bucket.count;
        return { bucketNs: bucketNs.toString(), fromNs: from.toString(), toNs: span.toNs.toString(), counts, total: histogram.total };
      }),
    'logs.facets': (input) =>
      answer(async () => {
        const idx = await index();
        const values = await Promise.all(FACET_FIELDS.map((field) => idx.topValues(input.query, field, { limit: input.limit, ...range(input) })));
        return { source: values[0], device: values[1], level: values[2] };
      }),
    'logs.stats': () =>
      answer(async () => {
        const stats = await (await index()).stats();
        return {
          rows: stats.rows,
          indexBytes: stats.indexBytes,
          segments: stats.segments,
          minTsNs: stats.minTsNs?.toString() ?? null,
          maxTsNs: stats.maxTsNs?.toString() ?? null,
          damage: stats.damage.map((d) => `${d.file}${d.block === undefined ? '' : ` block ${d.block}`}: ${d.reason}`),
        };
      }),
    'logs.tail': (input, emit, ctx) => {
      let stop: (() => Promise<void>) | undefined;
      let stopped = false;
      index()
        .then((idx) => idx.subscribe(input.query, (hits) => emit({ hits: hits.map(toLogHit) })))
        .then((unsubscribe) => (stopped ? void unsubscribe() : (stop = unsubscribe)))
        .catch((error) => ctx.end(explained(error)));
      return () => {
        stopped = true;
        void stop?.();
      };
    },
    'logs.import': (input, emit, ctx) => {
      const cancel = new AbortController();
      index()
        .then((idx) =>
          idx.importPaths(input.paths, { device: input.device, signal: cancel.signal, onProgress: (progress) => emit({ type: 'progress', ...progress }) }),
        )
        .then((report) => {
          emit({ type: 'done', ...summarize(report) });
          ctx.end();
        })
        .catch((error) => ctx.end(error));
      return () => cancel.abort();
    },
  };

  return {
    handlers,
    index,
    async close() {
      if (opening) await (await opening).close();
    },
  };
}
