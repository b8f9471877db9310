/** Messages between IndexClient and index-worker. BigInts and plain objects travel by structured clone. */
import type { LogRecord } from '../../../shared/logs/record.js';
import type { HistogramOptions, QueryOptions, SearchHit, SearchOptions } from './log-index.js';

export type WorkerRequest = { id: number } & (
  | { method: 'append'; args: [readonly LogRecord[]] }
  | { method: 'search'; args: [string, SearchOptions?] }
  | { method: 'count'; args: [string, QueryOptions?] }
  | { method: 'histogram'; args: [string, HistogramOptions?] }
  | { method: 'topValues'; args: [string, string, (QueryOptions & { limit?: number })?] }
  | { method: 'subscribe'; args: [string] }
  | { method: 'unsubscribe'; args: [number] }
  | { method: 'stats'; args: [] }
  | { method: 'flush'; args: [] }
  | { method: 'close'; args: [] }
);

export interface WorkerReply {
  /** The request answered; 0 for the startup message and tail events. */
  id: number;
  value?: unknown;
  error?: { name: string; message: string; position?: number };
  tail?: { subscription: number; hits: SearchHit[] };
}
