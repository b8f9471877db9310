import { parseArgs } from 'node:util';
import { IMPORT_FORMATS } from '../../../shared/contract/telemetry.js';
import { parseTimestamp } from '../../../shared/telemetry/text-formats.js';
import { importFile, type ImportFormat } from '../../services/telemetry/file-import.js';
import { TelemetryStore, telemetryDirOf, type SeriesInfo } from '../../services/telemetry/store.js';
import { UsageError, type Command } from '../command.js';

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '-');

async function withStore<T>(dataDir: string, use: (store: TelemetryStore) => Promise<T>): Promise<T> {
  const store = await TelemetryStore.open(telemetryDirOf(dataDir));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export const telemetryImportCommand: Command = {
  name: 'telemetry import',
  summary: 'Import a recorded stream (NMEA, CSV with header, JSON lines, key=value) into the telemetry store.',
  usage: 'fieldkit telemetry import <file|-> --format nmea|csv|jsonl|kv --device NAME [--sensor NAME]',
  async run({ argv, dataDir, stdout, stderr }) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string' }, device: { type: 'string' }, sensor: { type: 'string' } } });
    const [file] = positionals;
    const { format, device, sensor } = values;
    if (!file || positionals.length > 1) throw new UsageError('give one file, or - for stdin.');
    if (!device) throw new UsageError('--device is required.');
    if (!IMPORT_FORMATS.includes(format as ImportFormat)) throw new UsageError('--format must be nmea, csv, jsonl or kv.');
    const report = await withStore(dataDir, (store) => importFile(file === '-' ? '/dev/stdin' : file, { format: format as ImportFormat, device, sensor }, store));
    for (const note of report.notes) stderr.write(`${note}\n`);
    stdout.write(`imported ${report.samples} samples into ${report.series.length} series from ${report.lines} lines (${report.badLines} bad lines, ${report.outOfOrder} samples out of time order)\n`);
    return 0;
  },
};

export const telemetrySeriesCommand: Command = {
  name: 'telemetry series',
  summary: 'List telemetry series with sample count and last-seen time.',
  usage: 'fieldkit telemetry series [--json]',
  async run({ argv, dataDir, stdout }) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const list = await withStore(dataDir, async (store) => store.listSeries());
    if (values.json) stdout.write(`${JSON.stringify(list)}\n`);
    else stdout.write(list.map((s) => `${s.id}\t${s.count}\t${iso(s.firstTs)}\t${iso(s.lastTs)}\t${s.lastValue}\n`).join(''));
    return 0;
  },
};

function resolveSeries(list: SeriesInfo[], name: string): SeriesInfo {
  const exact = list.find((s) => s.id === name);
  if (exact) return exact;
  const loose = list.filter((s) => s.id.replace(/\[[^\]]*\]$/, '') === name);
  if (loose.length === 1) return loose[0]!;
  throw new UsageError(loose.length > 1 ? `"${name}" is ambiguous: ${loose.map((s) => s.id).join(', ')}` : `no series "${name}"; "fieldkit telemetry series" lists them.`);
}

function timeOption(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const ms = parseTimestamp(value);
  if (ms === undefined) throw new UsageError(`${flag} must be an ISO 8601 time or epoch seconds/ms, got "${value}".`);
  return ms;
}

export const telemetryQueryCommand: Command = {
  name: 'telemetry query',
  summary: 'Raw samples of a series in a time range, or the range downsampled to N buckets (min/max/avg/last and M4).',
  usage: 'fieldkit telemetry query <series> [--from T] [--to T] [--buckets N] [--json]',
  async run({ argv, dataDir, stdout }) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, buckets: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('give one series id.');
    return withStore(dataDir, async (store) => {
      const info = resolveSeries(store.listSeries(), positionals[0]!);
      const from = timeOption(values.from, info.firstTs, '--from');
      const to = timeOption(values.to, info.lastTs + 1, '--to');
      if (!(to > from)) throw new UsageError('--to must be after --from.');
      if (values.buckets === undefined) {
        const { ts, values: v } = store.range(info.id, from, to);
        const samples = Array.from(ts, (t, i) => [t, v[i]!] as const);
        if (values.json) stdout.write(`${JSON.stringify({ series: info.id, from, to, samples })}\n`);
        else stdout.write(samples.map(([t, x]) => `${iso(t)}\t${x}\n`).join(''));
        return 0;
      }
      const buckets = Number(values.buckets);
      if (!Number.isInteger(buckets) || buckets < 1 || buckets > 100_000) throw new UsageError('--buckets must be a whole number from 1 to 100000.');
      const r = store.downsample(info.id, from, to, buckets);
      const rows = Array.from({ length: buckets }, (_, i) => ({ start: from + i * r.bucketWidth, count: r.count[i]!, min: r.min[i]!, max: r.max[i]!, avg: r.avg[i]!, last: r.last[i]! }));
      if (values.json) {
        const m4 = Array.from(r.m4.ts, (t, i) => [t, r.m4.values[i]!]);
        stdout.write(`${JSON.stringify({ series: info.id, from, to, buckets, bucketWidth: r.bucketWidth, rows: rows.map((x) => (x.count ? x : { start: x.start, count: 0 })), m4 })}\n`);
      } else stdout.write(rows.filter((x) => x.count).map((x) => `${iso(x.start)}\t${x.count}\t${x.min}\t${x.max}\t${x.avg}\t${x.last}\n`).join(''));
      return 0;
    });
  },
};

export const telemetryCommands: Command[] = [telemetryImportCommand, telemetrySeriesCommand, telemetryQueryCommand];
