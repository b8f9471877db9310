/** A LogSink that appends JSON lines to a file (fsync per batch): the stand-in until the log index is wired. */
import { open, type FileHandle } from 'node:fs/promises';
import type { LogRecord, LogSink } from '../../../shared/logs/record.js';

export class JsonlFileSink implements LogSink {
  private chain: Promise<void> = Promise.resolve();

  private constructor(private readonly fh: FileHandle) {}

  static async open(path: string): Promise<JsonlFileSink> {
    return new JsonlFileSink(await open(path, 'a'));
  }

  append(records: readonly LogRecord[]): Promise<void> {
    const text = records.map((r) => JSON.stringify({ ...r, tsNs: r.tsNs.toString() })).join('\n') + '\n';
    const p = this.chain.then(async () => {
      if (records.length === 0) return;
      await this.fh.write(text);
      await this.fh.datasync();
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.fh.close();
  }
}

export function parseJsonlRecord(line: string): LogRecord {
  const o = JSON.parse(line) as Omit<LogRecord, 'tsNs'> & { tsNs: string };
  return { ...o, tsNs: BigInt(o.tsNs) };
}
