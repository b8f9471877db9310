import type { LogRecord } from '../record.js';
import { FileParser, type FileParserOptions } from './file-parser.js';
import type { FileStats } from './file-stats.js';

export type ParseBytesOptions = Partial<Omit<FileParserOptions, 'onRecord' | 'name'>> & { chunkSize?: number };

/** A whole in-memory file through a FileParser (previews, pasted text, tests); fed in chunks like a stream. */
export function parseBytes(name: string, input: Uint8Array | string, options: ParseBytesOptions = {}): { records: LogRecord[]; stats: FileStats } {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const records: LogRecord[] = [];
  const parser = new FileParser({
    labels: { device: 'test' },
    referenceTimeMs: Date.UTC(2026, 10, 28, 12),
    ingestTimeNs: 1n,
    ...options,
    name,
    onRecord: (record) => records.push(record),
  });
  const chunkSize = Math.max(1, options.chunkSize ?? 64 * 1024);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) parser.push(bytes.subarray(offset, offset + chunkSize));
  parser.end();
  return { records, stats: parser.stats };
}
