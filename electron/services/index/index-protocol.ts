/** Messages between IndexClient and index-process. BigInts and plain objects travel by structured clone. */
import type { LogRecord } from '../../../shared/logs/record.js';
import type { ImportOptions, ImportProgress } from './import/index.js';
import type { HistogramOptions, LogIndexOptions, QueryOptions, SearchHit, SearchOptions } from './log-index.js';

/** What an import in the index process takes: everything but the callbacks, which cannot cross processes. */
export type IndexImportOptions = Omit<ImportOptions, 'signal' | 'onProgress'>;

export type IndexRequest = { id: number } & (
  | { method: 'open'; args: [string, Omit<LogIndexOptions, 'nowNs'>] }
  | { method: 'append'; args: [readonly LogRecord[]] }
  | { method: 'search'; args: [string, SearchOptions?] }
  | { method: 'count'; args: [string, QueryOptions?] }
  | { method: 'histogram'; args: [string, HistogramOptions?] }
  | { method: 'topValues'; args: [string, string, (QueryOptions & { limit?: number })?] }
  | { method: 'subscribe'; args: [string] }
  | { method: 'unsubscribe'; args: [number] }
  | { method: 'import'; args: [readonly string[], IndexImportOptions] }
  | { method: 'cancelImport'; args: [number] }
  | { method: 'stats'; args: [] }
  | { method: 'flush'; args: [] }
  | { method: 'close'; args: [] }
);

export interface IndexReply {
  /** The request answered; 0 for the startup message and tail events. */
  id: number;
  value?: unknown;
  error?: { name: string; message: string; position?: number };
  tail?: { subscription: number; hits: SearchHit[] };
  progress?: { job: number; progress: ImportProgress };
}
