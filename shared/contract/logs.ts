import { z } from 'zod';
import { LEVELS, SOURCE_KINDS } from '../logs/record.js';
import { method, stream } from './define.js';

/** Nanosecond timestamps cross the wire as decimal strings: JSON numbers cannot hold them. */
const nanos = z.string().regex(/^-?\d{1,20}$/, 'a whole number of nanoseconds');
const query = z.string().max(4096);
const range = { fromNs: nanos.optional(), toNs: nanos.optional() };

export const logHitSchema = z.object({
  tsNs: nanos,
  site: z.string().optional(),
  device: z.string(),
  source: z.enum(SOURCE_KINDS),
  unit: z.string().optional(),
  pod: z.string().optional(),
  container: z.string().optional(),
  level: z.enum(LEVELS),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type LogHit = z.infer<typeof logHitSchema>;

export const FACET_FIELDS = ['source', 'device', 'level'] as const;
const topValues = z.array(z.object({ value: z.string(), count: z.number() }));

export const importProgressSchema = z.object({
  bytesDone: z.number(),
  bytesTotal: z.number(),
  lines: z.number(),
  records: z.number(),
  linesPerSec: z.number(),
  etaSec: z.number().nullable(),
  path: z.string(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

export const importSummarySchema = z.object({
  files: z.number(),
  records: z.number(),
  cancelled: z.boolean(),
  durationMs: z.number(),
  /** Oddities worth telling the technician, e.g. "3 lines of invalid UTF-8", "1 file unreadable: …". */
  notes: z.array(z.string()),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const logsStatsSchema = z.object({
  rows: z.number(),
  indexBytes: z.number(),
  segments: z.number(),
  minTsNs: nanos.nullable(),
  maxTsNs: nanos.nullable(),
  /** Damaged blocks or segments found and set aside; the rest answers queries. */
  damage: z.array(z.string()),
});
export type LogsStats = z.infer<typeof logsStatsSchema>;

export const logsContract = {
  'logs.search': method(
    'Matching records, newest first, one page at a time.',
    z.object({ query, limit: z.number().int().min(1).max(2000).default(200), cursor: z.string().max(4096).nullable().optional(), ...range }).strict(),
    z.object({ hits: z.array(logHitSchema), cursor: z.string().nullable() }),
  ),
  'logs.count': method('How many records match.', z.object({ query, ...range }).strict(), z.object({ count: z.number() })),
  'logs.histogram': method(
    'Matches over time in about `buckets` equal buckets over the range (the whole index when none is given).',
    z.object({ query, buckets: z.number().int().min(1).max(2000).default(120), ...range }).strict(),
    z.object({ bucketNs: nanos, fromNs: nanos, toNs: nanos, counts: z.array(z.number()), total: z.number() }),
  ),
  'logs.facets': method(
    'Top values of the source, device and level fields among the matches.',
    z.object({ query, limit: z.number().int().min(1).max(100).default(10), ...range }).strict(),
    z.object({ source: topValues, device: topValues, level: topValues }),
  ),
  'logs.stats': method('Size and span of the index, and any damage found.', z.object({}).strict(), logsStatsSchema),
  'logs.tail': stream('New matches as they are indexed.', z.object({ query }).strict(), z.object({ hits: z.array(logHitSchema) })),
  'logs.import': stream(
    'Import files, folders and bundles (.tar, .tar.gz, .zip) from this machine; progress, then a summary. Unsubscribe to cancel.',
    z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000), device: z.string().max(200).optional() }).strict(),
    z.discriminatedUnion('type', [importProgressSchema.extend({ type: z.literal('progress') }), importSummarySchema.extend({ type: z.literal('done') })]),
  ),
} as const;
