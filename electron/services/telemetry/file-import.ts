/** Imports a recorded text stream (NMEA, CSV, JSON lines, key=value) from a file into a sample sink. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { NmeaStreamDecoder } from '../../../shared/telemetry/nmea-stream.js';
import { seriesId, type Sample } from '../../../shared/telemetry/series.js';
import { CsvDecoder, JsonLinesDecoder, KeyValueDecoder, type LineDecoder } from '../../../shared/telemetry/text-formats.js';
import type { AppendResult } from './store.js';

export type ImportFormat = 'nmea' | 'csv' | 'jsonl' | 'kv';

export interface FileImportOptions {
  format: ImportFormat;
  device: string;
  sensor?: string;
}

export interface FileImportReport {
  lines: number;
  badLines: number;
  samples: number;
  outOfOrder: number;
  series: string[];
  /** The first bad lines, with why. */
  notes: string[];
}

const BATCH = 10_000;
const NOTED_BAD_LINES = 20;

function nmeaLineDecoder(device: string): LineDecoder {
  const nmea = new NmeaStreamDecoder(device);
  return {
    push(line) {
      const r = nmea.push(line);
      if (r.kind === 'bad') return { samples: [], error: r.bad.error };
      return { samples: r.kind === 'message' ? r.samples : [] };
    },
  };
}

export function lineDecoder({ format, device, sensor }: FileImportOptions): LineDecoder {
  switch (format) {
    case 'nmea':
      return nmeaLineDecoder(device);
    case 'csv':
      return new CsvDecoder({ device, sensor });
    case 'jsonl':
      return new JsonLinesDecoder({ device, sensor });
    case 'kv':
      return new KeyValueDecoder({ device, sensor });
  }
}

export async function importFile(path: string, options: FileImportOptions, sink: { append(samples: readonly Sample[]): Promise<AppendResult> }): Promise<FileImportReport> {
  const decoder = lineDecoder(options);
  const report: FileImportReport = { lines: 0, badLines: 0, samples: 0, outOfOrder: 0, series: [], notes: [] };
  const series = new Set<string>();
  let batch: Sample[] = [];
  const flush = async () => {
    const r = await sink.append(batch);
    report.samples += r.accepted;
    report.outOfOrder += r.rejected;
    batch = [];
  };
  const input = createReadStream(path, { encoding: 'utf8' });
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    report.lines++;
    const out = decoder.push(line);
    if (out.error) {
      if (report.badLines++ < NOTED_BAD_LINES) report.notes.push(`line ${report.lines}: ${out.error}: ${line.slice(0, 120)}`);
      continue;
    }
    for (const s of out.samples) {
      series.add(seriesId(s.key));
      batch.push(s);
    }
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  report.series = [...series].sort();
  return report;
}
