import type { LogRecord, LogSink } from '../../shared/logs/record.js';

/** Collects appended records; `durable` holds only those whose append has resolved. */
export class MemorySink implements LogSink {
  readonly durable: LogRecord[] = [];
  readonly batchSizes: number[] = [];

  constructor(private readonly delayMs = 0) {}

  async append(records: readonly LogRecord[]): Promise<void> {
    this.batchSizes.push(records.length);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.durable.push(...records);
  }
}
