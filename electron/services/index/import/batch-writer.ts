import type { LogRecord, LogSink } from '../../../../shared/logs/record.js';

export const DEFAULT_BATCH_RECORDS = 8192;

/** The sink failed: unlike bad input, this ends the import. */
export class SinkError extends Error {
  constructor(readonly reason: unknown) {
    super(`log sink failed: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}
const MAX_BATCH_CHARS = 16 * 1024 * 1024;

/**
 * Groups records into batches for the sink. One batch may be in flight while the next one fills, so parsing overlaps
 * the sink's durable write; `drain` waits until everything handed over is durable.
 */
export class BatchWriter {
  private batch: LogRecord[] = [];
  private chars = 0;
  private inFlight: Promise<void> = Promise.resolve();
  appended = 0;

  constructor(
    private readonly sink: LogSink,
    private readonly batchRecords = DEFAULT_BATCH_RECORDS,
  ) {}

  add(record: LogRecord): void {
    this.batch.push(record);
    this.chars += record.message.length;
  }

  get full(): boolean {
    return this.batch.length >= this.batchRecords || this.chars >= MAX_BATCH_CHARS;
  }

  async flushIfFull(): Promise<void> {
    while (this.full) await this.flush(this.batch.splice(0, this.batchRecords));
  }

  async drain(): Promise<void> {
    await this.flush(this.batch.splice(0));
    await this.inFlight;
  }

  private async flush(records: LogRecord[]): Promise<void> {
    this.chars = this.batch.reduce((sum, record) => sum + record.message.length, 0);
    await this.inFlight;
    if (records.length === 0) return;
    this.inFlight = this.sink.append(records).then(
      () => {
        this.appended += records.length;
      },
      (reason: unknown) => {
        throw new SinkError(reason);
      },
    );
    // Marks the rejection as handled until the next flush or drain awaits it and throws.
    this.inFlight.catch(() => {});
  }
}
