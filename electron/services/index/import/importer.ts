import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { FileParser, type FormatId } from '../../../../shared/logs/parsers/index.js';
import type { LogSink } from '../../../../shared/logs/record.js';
import { BatchWriter, DEFAULT_BATCH_RECORDS, SinkError } from './batch-writer.js';
import { collectInputs, deviceName, inputKind, type InputFile } from './inputs.js';
import { ProgressTracker, type ImportProgress } from './progress.js';
import { fileReport, totalsOf, type FileReport, type ImportReport } from './report.js';

export interface ImportOptions {
  /** Device label for every record; default: the bundle, folder or file name. */
  device?: string;
  site?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Force one format for every file instead of detecting it per file. */
  format?: FormatId;
  /** Reference for inferring the year of timestamps without one; default: each file's mtime. */
  referenceTimeMs?: number;
  batchRecords?: number;
  maxLineBytes?: number;
}

interface Run {
  options: ImportOptions;
  writer: BatchWriter;
  progress: ProgressTracker;
  reports: FileReport[];
  ingestTimeNs: bigint;
}

function aborted(run: Run): boolean {
  return run.options.signal?.aborted === true;
}

/** The text for a report; sink failures are not the input's fault and end the import instead. */
function inputError(error: unknown): string {
  if (error instanceof SinkError) throw error;
  return error instanceof Error ? error.message : String(error);
}

/** Passes bytes through, telling `onBytes` how many went by (for progress). */
function byteCounter(onBytes: (count: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/** One file or bundle entry through a FileParser into the sink, batch by batch. */
async function parseStream(run: Run, stream: AsyncIterable<Buffer>, name: string, reportPath: string, device: string, mtimeMs: number | undefined): Promise<void> {
  const { options, writer, progress } = run;
  const parser = new FileParser({
    name,
    labels: options.site === undefined ? { device } : { device, site: options.site },
    referenceTimeMs: options.referenceTimeMs ?? mtimeMs ?? Date.now(),
    ingestTimeNs: run.ingestTimeNs,
    format: options.format,
    maxLineBytes: options.maxLineBytes,
    onRecord: (record) => writer.add(record),
  });
  const report = fileReport(reportPath, device, parser.stats);
  run.reports.push(report);
  progress.path = reportPath;
  let linesBefore = 0;
  let recordsBefore = 0;
  const account = () => {
    progress.lines += parser.stats.lines - linesBefore;
    progress.records += parser.stats.records - recordsBefore;
    linesBefore = parser.stats.lines;
    recordsBefore = parser.stats.records;
  };
  const chunks = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      report.error = inputError(error);
      break;
    }
    if (next.done) break;
    parser.push(next.value);
    account();
    await writer.flushIfFull();
    progress.tick();
    if (aborted(run)) {
      await chunks.return?.();
      break;
    }
  }
  parser.end();
  account();
  Object.assign(report, parser.stats);
  await writer.flushIfFull();
}

function drainAndSkip(run: Run, stream: Readable, reportPath: string, device: string, reason: string): void {
  stream.resume();
  const report = fileReport(reportPath, device);
  report.skipped = reason;
  run.reports.push(report);
}

/** A stream named `name`: gunzipped, unpacked or parsed according to its name. */
async function importEntry(run: Run, stream: Readable, name: string, reportPath: string, device: string, mtimeMs: number | undefined): Promise<void> {
  const kind = inputKind(name);
  if (kind === 'tar' || kind === 'tar.gz') {
    await importTar(run, kind === 'tar.gz' ? stream.pipe(createGunzip()) : stream, reportPath, device);
  } else if (kind === 'gz') {
    const gunzip = createGunzip();
    stream.on('error', (error) => gunzip.destroy(error));
    await importEntry(run, stream.pipe(gunzip), name.slice(0, -3), reportPath, device, mtimeMs);
  } else if (kind === 'zip') {
    drainAndSkip(run, stream, reportPath, device, 'zip inside a bundle: extract it and import the folder');
  } else if (kind === 'unsupported') {
    drainAndSkip(run, stream, reportPath, device, 'unsupported compression');
  } else {
    await parseStream(run, stream, name, reportPath, device, mtimeMs);
  }
}

async function importTar(run: Run, source: Readable, bundlePath: string, device: string): Promise<void> {
  const extract = tar.extract();
  const piping = pipeline(source, extract).then(() => undefined, (error: unknown) => error);
  try {
    for await (const entry of extract) {
      const { name, type, mtime } = entry.header;
      if (type === 'file' || type === 'contiguous-file') {
        // A streamx Readable at run time: it pipes, resumes and iterates like a Node one.
        await importEntry(run, entry as unknown as Readable, name, `${bundlePath}!${name}`, device, mtime?.getTime());
      }
      entry.resume();
      if (aborted(run)) break;
    }
  } catch (error) {
    run.reports.push({ ...fileReport(bundlePath, device), error: inputError(error) });
  } finally {
    extract.destroy();
  }
  const failure = await piping;
  if (failure && !aborted(run) && !run.reports.some((report) => report.path === bundlePath)) {
    run.reports.push({ ...fileReport(bundlePath, device), error: inputError(failure) });
  }
}

async function importZip(run: Run, file: InputFile, device: string): Promise<void> {
  const progressBase = run.progress.bytesDone;
  const zip = await yauzl.openPromise(file.path, { lazyEntries: true, autoClose: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      let read = 0;
      const before = run.progress.bytesDone;
      // yauzl reads the file itself: progress moves through the entry's compressed size as its content is read.
      const counted = stream.pipe(byteCounter((count) => {
        read += count;
        run.progress.bytesDone = before + Math.round(entry.compressedSize * Math.min(1, read / Math.max(1, entry.uncompressedSize)));
      }));
      stream.on('error', (error) => counted.destroy(error));
      await importEntry(run, counted, entry.fileName, `${file.path}!${entry.fileName}`, device, entry.getLastModDate().getTime());
      run.progress.bytesDone = before + entry.compressedSize;
      if (aborted(run)) break;
    }
  } finally {
    zip.close();
  }
  if (!aborted(run)) run.progress.bytesDone = progressBase + file.size;
}

async function importFile(run: Run, file: InputFile): Promise<void> {
  const device = run.options.device ?? file.device;
  const before = run.progress.bytesDone;
  try {
    if (inputKind(file.path) === 'zip') {
      await importZip(run, file, device);
    } else {
      const source = createReadStream(file.path, { highWaterMark: 256 * 1024 });
      const counted = source.pipe(byteCounter((count) => (run.progress.bytesDone += count)));
      source.on('error', (error) => counted.destroy(error));
      await importEntry(run, counted, file.name, file.path, device, file.mtimeMs);
      source.destroy();
    }
  } catch (error) {
    run.reports.push({ ...fileReport(file.path, device), error: inputError(error) });
  }
  if (!aborted(run)) run.progress.bytesDone = before + file.size;
}

/**
 * Imports files, folders (recursively) and diagnostic bundles (.tar, .tar.gz/.tgz, .zip, and .gz files) into `sink`,
 * detecting the format of every file. Bad input is counted in the report, never fatal; the promise resolves once
 * every record is durable, also after a cancel (`report.cancelled`). It rejects only when the sink fails.
 */
export async function importPaths(paths: readonly string[], sink: LogSink, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const { files, errors } = await collectInputs(paths, options.device);
  const run: Run = {
    options,
    writer: new BatchWriter(sink, options.batchRecords ?? DEFAULT_BATCH_RECORDS),
    progress: new ProgressTracker(files.reduce((sum, file) => sum + file.size, 0), options.onProgress),
    reports: errors.map(({ path, error }) => ({ ...fileReport(path, options.device ?? deviceName(path)), error })),
    ingestTimeNs: BigInt(Date.now()) * 1_000_000n,
  };
  for (const file of files) {
    if (aborted(run)) break;
    await importFile(run, file);
  }
  await run.writer.drain();
  run.progress.tick(true);
  return { files: run.reports, totals: totalsOf(run.reports), cancelled: aborted(run), durationMs: performance.now() - started };
}
