import type { LogLabels, LogRecord, SourceKind } from '../record.js';
import { detectFormat, lineFormat } from './detect.js';
import type { FormatId, LineFormat, ParseContext, ParsedEntry } from './entry.js';
import { emptyStats, type FileStats } from './file-stats.js';
import { JournalExportReader } from './journald-export.js';
import { detectLevel } from './levels.js';
import { LineSplitter, concatBytes, type RawLine } from './line-splitter.js';
import { labelsFromPath, type PathLabels } from './path-labels.js';
import { parseAnyText, plainFormat } from './plain.js';
import { SerialLineSplitter, type SerialLine } from './serial-splitter.js';
import { decodeUtf8, replaceNul, stripAnsi, trimTrailingNewlines } from './text.js';
import { YearInferrer, nsToIso } from './timestamps.js';

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;
const HEAD_BYTES = 16 * 1024;
const MAX_JOINED_LINES = 1000;

export interface FileParserOptions {
  /** Path of the file (inside its bundle): used for format detection, pod/container labels and field `file`. */
  name: string;
  labels: { device: string; site?: string };
  /** Year inference for timestamps without a year: the file's mtime, else now. */
  referenceTimeMs: number;
  /** Timestamp for records that have none and follow none. */
  ingestTimeNs: bigint;
  onRecord(record: LogRecord): void;
  /** Force a format instead of detecting it. */
  format?: FormatId;
  maxLineBytes?: number;
  /** Serial captures: every raw console line with its escape sequences, for replay (the index stores only text). */
  onSerialLine?(line: SerialLine): void;
}

interface PendingEntry {
  entry: ParsedEntry;
  droppedBytes: number;
  lines: number;
}

/**
 * Bytes of one file in, LogRecords out, in constant memory. Detects the format from the first 16 KiB, then splits,
 * decodes, parses, joins multi-line and partial entries, and repairs timestamps, counting every oddity in `stats`.
 */
export class FileParser {
  readonly stats: FileStats = emptyStats();
  private readonly maxLineBytes: number;
  private readonly context: ParseContext;
  private readonly pathLabels: PathLabels;
  private head: Uint8Array[] | undefined = [];
  private headBytes = 0;
  private consume: ((chunk: Uint8Array) => void) | undefined;
  private finish: (() => void) | undefined;
  private format: LineFormat = plainFormat;
  private source: SourceKind = 'file';
  private pending: PendingEntry | undefined;
  private readonly lastTs = new Map<string, bigint>();

  constructor(private readonly options: FileParserOptions) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.context = { years: new YearInferrer(options.referenceTimeMs) };
    this.pathLabels = labelsFromPath(options.name);
    if (options.format) {
      this.head = undefined;
      this.start(options.format);
    }
  }

  push(chunk: Uint8Array): void {
    this.stats.bytes += chunk.length;
    if (this.head === undefined) {
      this.consume!(chunk);
      return;
    }
    this.head.push(chunk.slice());
    this.headBytes += chunk.length;
    if (this.headBytes >= HEAD_BYTES) this.flushHead(false);
  }

  end(): void {
    if (this.head !== undefined) this.flushHead(true);
    this.finish!();
    this.flushPending();
  }

  private flushHead(complete: boolean): void {
    const head = concatBytes(this.head!, this.headBytes);
    this.head = undefined;
    if (!this.consume) this.start(detectFormat(this.options.name, head, complete));
    if (head.length > 0) this.consume!(head);
  }

  private start(format: FormatId): void {
    this.stats.format = format;
    this.source = format === 'journald-export' ? 'journald' : format === 'serial' ? 'serial' : (lineFormat(format) ?? plainFormat).source;
    if (format === 'binary') {
      this.stats.skipped = 'binary content';
      this.consume = () => {};
      this.finish = () => {};
    } else if (format === 'journald-export') {
      const reader = new JournalExportReader(this.maxLineBytes, (entry, dropped) => {
        this.stats.lines++;
        this.emit({ entry, droppedBytes: dropped, lines: 1 });
      });
      this.consume = (chunk) => reader.push(chunk);
      this.finish = () => {
        reader.end();
        this.stats.invalidUtf8 += reader.counters.invalidUtf8;
        this.stats.unparsed += reader.counters.malformed;
        this.stats.truncated += reader.counters.truncatedFields;
      };
    } else if (format === 'serial') {
      const splitter = new SerialLineSplitter(this.maxLineBytes, (line) => this.serialLine(line));
      this.consume = (chunk) => splitter.push(chunk);
      this.finish = () => splitter.end();
    } else {
      this.format = lineFormat(format) ?? plainFormat;
      const splitter = new LineSplitter(this.maxLineBytes, (line) => this.rawLine(line));
      this.consume = (chunk) => splitter.push(chunk);
      this.finish = () => splitter.end();
    }
  }

  private decode(bytes: Uint8Array): string {
    const decoded = decodeUtf8(bytes);
    if (decoded.invalidUtf8) this.stats.invalidUtf8++;
    if (decoded.text.includes('\0')) this.stats.nulBytes++;
    return replaceNul(decoded.text);
  }

  private serialLine(line: SerialLine): void {
    this.options.onSerialLine?.(line);
    this.stats.lines++;
    if (line.invalidUtf8) this.stats.invalidUtf8++;
    if (line.terminator === 'crlf') this.stats.crlf++;
    if (line.terminator === 'none' && !line.split) this.stats.noFinalNewline = 1;
    if (line.text.trim().length === 0) {
      this.stats.blankLines++;
      return;
    }
    const entry = parseAnyText(line.text, this.context);
    if (line.split) entry.fields = { split: '1' };
    this.emit({ entry, droppedBytes: 0, lines: 1 });
  }

  private rawLine(raw: RawLine): void {
    this.stats.lines++;
    if (raw.crlf) this.stats.crlf++;
    if (raw.unterminated) this.stats.noFinalNewline = 1;
    const text = this.decode(raw.bytes);
    if (text.trim().length === 0 && raw.droppedBytes === 0) {
      this.stats.blankLines++;
      return;
    }
    const entry = this.format.parse(text, this.context);
    if (entry) {
      this.entry(entry, raw.droppedBytes);
    } else if (this.canContinue(text)) {
      this.pending!.entry.message += `\n${text}`;
      this.pending!.droppedBytes += raw.droppedBytes;
      this.pending!.lines++;
    } else {
      this.flushPending();
      if (this.format !== plainFormat) this.stats.unparsed++;
      const fallback = parseAnyText(text, this.context);
      const line = { entry: fallback, droppedBytes: raw.droppedBytes, lines: 1 };
      if (this.format.continuation && fallback.tsNs !== undefined) this.pending = line;
      else this.emit(line);
    }
  }

  private canContinue(text: string): boolean {
    const pending = this.pending;
    return this.format.continuation && pending !== undefined && !pending.entry.partial && pending.entry.tsNs !== undefined
      && pending.lines < MAX_JOINED_LINES && pending.entry.message.length + text.length < this.maxLineBytes;
  }

  private entry(entry: ParsedEntry, droppedBytes: number): void {
    const pending = this.pending;
    if (pending?.entry.partial) {
      const room = this.maxLineBytes - pending.entry.message.length;
      const joined = room >= entry.message.length ? entry.message : entry.message.slice(0, Math.max(room, 0));
      pending.entry.message += joined;
      pending.droppedBytes += droppedBytes + entry.message.length - joined.length;
      pending.entry.partial = entry.partial;
      pending.lines++;
      if (!entry.partial) this.flushPending();
      return;
    }
    this.flushPending();
    const line = { entry, droppedBytes, lines: 1 };
    if (this.format.continuation || entry.partial) this.pending = line;
    else this.emit(line);
  }

  private flushPending(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.emit(pending);
  }

  private emit({ entry, droppedBytes }: PendingEntry): void {
    const fields = entry.fields ?? {};
    const pathFields = this.pathLabels.fields;
    if (pathFields) for (const name in pathFields) fields[name] ??= pathFields[name]!;
    fields.file = this.options.name;
    let message = trimTrailingNewlines(stripAnsi(replaceNul(entry.message)));
    if (droppedBytes > 0) {
      this.stats.truncated++;
      fields.truncated_bytes = String(droppedBytes);
      message += ` …[truncated ${droppedBytes} bytes]`;
    }
    const labels: LogLabels = { device: this.options.labels.device, source: this.source };
    const { site } = this.options.labels;
    const pod = entry.pod ?? this.pathLabels.pod;
    const container = entry.container ?? this.pathLabels.container;
    if (site !== undefined) labels.site = site;
    if (entry.unit !== undefined) labels.unit = entry.unit;
    if (pod !== undefined) labels.pod = pod;
    if (container !== undefined) labels.container = container;
    const tsNs = this.repairTimestamp(entry.tsNs, container ?? '', fields);
    this.stats.records++;
    this.options.onRecord({ tsNs, labels, level: entry.level ?? detectLevel(message) ?? 'info', message, fields });
  }

  private repairTimestamp(tsNs: bigint | undefined, stream: string, fields: Record<string, string>): bigint {
    const last = this.lastTs.get(stream);
    if (tsNs === undefined) {
      this.stats.missingTs++;
      fields.ts_flag = 'missing';
      return last ?? this.options.ingestTimeNs;
    }
    if (last !== undefined && tsNs < last) {
      this.stats.outOfOrder++;
      fields.ts_flag = 'out_of_order';
      fields.ts_orig = nsToIso(tsNs);
      return last;
    }
    this.lastTs.set(stream, tsNs);
    return tsNs;
  }
}
