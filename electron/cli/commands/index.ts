import { nsToIso } from '../../../shared/logs/parsers/index.js';
import { parseArgs } from 'node:util';
import { parseDuration, parseInstant, QuerySyntaxError } from '../../../shared/logs/query.js';
import { IndexClient, indexDirOf } from '../../services/index/index-client.js';
import type { SearchHit } from '../../services/index/log-index.js';
import type { ImportProgress } from '../../services/index/import/index.js';
import { UsageError, type CliContext, type Command } from '../command.js';

async function withIndex<T>(dataDir: string, use: (index: IndexClient) => Promise<T>): Promise<T> {
  const index = await IndexClient.open(indexDirOf(dataDir));
  try {
    return await use(index);
  } finally {
    await index.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export const indexImportCommand: Command = {
  name: 'index import',
  summary: 'Import log files, folders and bundles (.tar, .tar.gz, .zip) into the log index.',
  usage: 'fieldkit index import <paths…> [--device NAME] [--site NAME] [--json]',
  async run({ argv, dataDir, stdout, stderr, signal }) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { device: { type: 'string' }, site: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (positionals.length === 0) throw new UsageError('give at least one file, folder or bundle.');
    const progress = progressPrinter(stderr);
    const report = await withIndex(dataDir, (index) =>
      index.importPaths(positionals, { device: values.device, site: values.site, signal, onProgress: progress.update }),
    );
    progress.done();
    if (values.json) {
      stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      const { totals } = report;
      const odd = Object.entries(totals).filter(([key, value]) => value > 0 && !['files', 'bytes', 'lines', 'records', 'skipped'].includes(key));
      stdout.write(`${report.cancelled ? 'cancelled after importing' : 'imported'} ${totals.records} records from ${totals.lines} lines in ${totals.files} files (${mb(totals.bytes)}, ${(report.durationMs / 1000).toFixed(1)} s)\n`);
      if (odd.length > 0) stdout.write(`noted: ${odd.map(([key, value]) => `${key} ${value}`).join(', ')}\n`);
      for (const file of report.files) if (file.error) stderr.write(`${file.path}: ${file.error}\n`);
    }
    return report.cancelled ? 130 : report.totals.errors > 0 && report.totals.records === 0 ? 1 : 0;
  },
};

function progressPrinter(stderr: NodeJS.WritableStream): { update: (progress: ImportProgress) => void; done: () => void } {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  let last = Date.now();
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < (tty ? 200 : 2000)) return;
      last = now;
      shown = true;
      const eta = p.etaSec === null ? '' : `, ETA ${Math.ceil(p.etaSec)} s`;
      const line = `${mb(p.bytesDone)} / ${mb(p.bytesTotal)}, ${p.records} records, ${Math.round(p.linesPerSec)} lines/s${eta}`;
      stderr.write(tty ? `\r${line.padEnd(78)}` : `${line}\n`);
    },
    done() {
      if (shown && tty) stderr.write('\n');
    },
  };
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search the log index, newest first (query language: docs/INDEX.md).',
  usage: "fieldkit search '<query>' [--since 15m|ISO] [--until ISO] [--limit N] [--json]",
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      allowPositionals: true,
      options: { since: { type: 'string' }, until: { type: 'string' }, limit: { type: 'string', default: '100' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1) throw new UsageError('quote the query as one argument.');
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be 1-10000.');
    const range = { fromNs: timeOption(values.since, '--since'), toNs: timeOption(values.until, '--until') };
    const query = positionals[0] ?? '';
    try {
      return await withIndex(ctx.dataDir, async (index) => {
        const page = await index.search(query, { limit, ...definedRange(range) });
        printHits(ctx, page.hits, values.json);
        if (!values.json && page.cursor) ctx.stderr.write(`(showing the newest ${page.hits.length}; use --limit for more)\n`);
        return page.hits.length > 0 ? 0 : 1;
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'QuerySyntaxError') throw new UsageError(`bad query: ${error.message}`);
      throw error;
    }
  },
};

function definedRange(range: { fromNs?: bigint; toNs?: bigint }): { fromNs?: bigint; toNs?: bigint } {
  return { ...(range.fromNs !== undefined ? { fromNs: range.fromNs } : {}), ...(range.toNs !== undefined ? { toNs: range.toNs } : {}) };
}

/** `15m`/`2h`/`7d` (that long ago) or an instant (ISO 8601, epoch s/ms/ns). */
function timeOption(value: string | undefined, flag: string): bigint | undefined {
  if (value === undefined) return undefined;
  const ago = parseDuration(value);
  if (ago !== undefined) return BigInt(Date.now()) * 1_000_000n - ago;
  try {
    return parseInstant(value);
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

function printHits(ctx: CliContext, hits: SearchHit[], json: boolean): void {
  for (const hit of hits) {
    if (json) {
      ctx.stdout.write(`${JSON.stringify({ ts: nsToIso(hit.tsNs), tsNs: String(hit.tsNs), ...hit.labels, level: hit.level, message: hit.message, ...(hit.fields ? { fields: hit.fields } : {}) })}\n`);
    } else {
      const where = [hit.labels.device, hit.labels.source, hit.labels.unit ?? hit.labels.pod].filter(Boolean).join(' ');
      ctx.stdout.write(`${nsToIso(hit.tsNs)} ${where} ${hit.level.toUpperCase()} ${hit.message}\n`);
    }
  }
}

export const indexStatsCommand: Command = {
  name: 'index stats',
  summary: 'Show the log index: rows, segments, size, time span and any damage found.',
  usage: 'fieldkit index stats [--json]',
  async run({ argv, dataDir, stdout }) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const stats = await withIndex(dataDir, (index) => index.stats());
    if (values.json) {
      stdout.write(`${JSON.stringify(stats, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value))}\n`);
      return 0;
    }
    const span = stats.minTsNs !== null && stats.maxTsNs !== null ? `${nsToIso(stats.minTsNs)} … ${nsToIso(stats.maxTsNs)}` : 'empty';
    stdout.write(
      [
        `index:     ${stats.dir}`,
        `rows:      ${stats.rows} (${stats.unsealedRows} not yet in segments)`,
        `segments:  ${stats.segments} (${stats.blocks} blocks, ${mb(stats.indexBytes)})`,
        `streams:   ${stats.streams}`,
        `time span: ${span}`,
        `opened in: ${stats.openMs.toFixed(1)} ms`,
        `damage:    ${stats.damage.length === 0 ? 'none' : ''}`,
        ...stats.damage.map((d) => `  ${d.file}${d.block !== undefined ? ` block ${d.block}` : ''}: ${d.reason}${d.rows ? ` (${d.rows} rows)` : ''}`),
        '',
      ].join('\n'),
    );
    return stats.damage.length > 0 ? 1 : 0;
  },
};

export const indexCommands: Command[] = [indexImportCommand, searchCommand, indexStatsCommand];
