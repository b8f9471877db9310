/** CSV (header row), JSON lines (configurable field paths) and key=value lines, each line to samples. Never throws. */
import type { Sample } from './series.js';

export interface LineOutcome {
  samples: Sample[];
  /** Set when the line could not be used; the line is kept as text by the caller. */
  error?: string;
}

export interface LineDecoder {
  push(line: string, receivedAtMs?: number): LineOutcome;
}

const TIME_NAMES = ['ts', 'time', 'timestamp', 'datetime', 'date'];

/**
 * A timestamp cell: ISO 8601, or epoch seconds/milliseconds/microseconds/nanoseconds told apart by magnitude.
 * Returns milliseconds, or undefined.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return epochToMs(Number(s));
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function epochToMs(n: number): number {
  if (n >= 1e17) return Math.round(n / 1e6);
  if (n >= 1e14) return Math.round(n / 1e3);
  if (n >= 1e11) return Math.round(n);
  return Math.round(n * 1000);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** `temp[degC]` or `temp (degC)` -> field and unit. */
function fieldAndUnit(name: string): { field: string; unit: string } {
  const m = /^(.*?)\s*(?:\[([^\]]*)\]|\(([^)]*)\))$/.exec(name.trim());
  return m ? { field: m[1]!, unit: m[2] ?? m[3] ?? '' } : { field: name.trim(), unit: '' };
}

export interface CsvOptions {
  device: string;
  sensor?: string;
  delimiter?: string;
  /** Column with the timestamp; default: the first column named ts/time/timestamp/datetime/date. */
  timeColumn?: string;
}

function splitCsv(line: string, delimiter: string): string[] | undefined {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}

export class CsvDecoder implements LineDecoder {
  private header?: { field: string; unit: string }[];
  private timeIndex = -1;

  constructor(private readonly opts: CsvOptions) {}

  push(line: string, receivedAtMs?: number): LineOutcome {
    const text = line.replace(/\r$/, '');
    if (text.trim() === '') return { samples: [] };
    const cells = splitCsv(text, this.opts.delimiter ?? ',');
    if (!cells) return { samples: [], error: 'unterminated quote' };
    if (!this.header) {
      this.header = cells.map(fieldAndUnit);
      const names = this.header.map((h) => h.field.toLowerCase());
      this.timeIndex = this.opts.timeColumn !== undefined ? names.indexOf(this.opts.timeColumn.toLowerCase()) : names.findIndex((n) => TIME_NAMES.includes(n));
      return this.opts.timeColumn !== undefined && this.timeIndex < 0 ? { samples: [], error: `no column "${this.opts.timeColumn}"` } : { samples: [] };
    }
    if (cells.length !== this.header.length) return { samples: [], error: `expected ${this.header.length} cells, got ${cells.length}` };
    const ts = this.timeIndex >= 0 ? parseTimestamp(cells[this.timeIndex]) : receivedAtMs;
    if (ts === undefined) return { samples: [], error: 'no usable timestamp' };
    const samples: Sample[] = [];
    cells.forEach((cell, i) => {
      const value = i === this.timeIndex ? undefined : numeric(cell);
      if (value !== undefined) samples.push({ key: { device: this.opts.device, sensor: this.opts.sensor ?? 'csv', ...this.header![i]! }, ts, value });
    });
    return { samples };
  }
}

export interface JsonFieldMapping {
  /** Dot path into the object, e.g. `env.temp` or `readings.0.v`. */
  path: string;
  field?: string;
  unit?: string;
}

export interface JsonLinesOptions {
  device: string;
  sensor?: string;
  /** Path of the timestamp; default: the first of ts/time/timestamp/datetime/date present. */
  timePath?: string;
  /** Explicit fields; default: every numeric leaf (path as the field name). */
  fields?: JsonFieldMapping[];
}

export function valueAtPath(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function numericLeaves(node: unknown, prefix: string, out: [string, number][]): void {
  if (node === null || typeof node !== 'object') {
    const v = typeof node === 'number' || typeof node === 'boolean' ? numeric(node) : undefined;
    if (v !== undefined && prefix) out.push([prefix, v]);
    return;
  }
  for (const [k, child] of Object.entries(node)) numericLeaves(child, prefix ? `${prefix}.${k}` : k, out);
}

/** Samples from one JSON document (shared by JSON lines and MQTT payloads). */
export function jsonSamples(doc: unknown, opts: JsonLinesOptions, receivedAtMs?: number): LineOutcome {
  const timePath = opts.timePath ?? TIME_NAMES.find((n) => valueAtPath(doc, n) !== undefined);
  const ts = timePath !== undefined ? parseTimestamp(valueAtPath(doc, timePath)) : receivedAtMs;
  if (ts === undefined) return { samples: [], error: 'no usable timestamp' };
  const sensor = opts.sensor ?? 'json';
  const samples: Sample[] = [];
  if (opts.fields) {
    for (const f of opts.fields) {
      const value = numeric(valueAtPath(doc, f.path));
      if (value !== undefined) samples.push({ key: { device: opts.device, sensor, field: f.field ?? f.path, unit: f.unit ?? '' }, ts, value });
    }
  } else {
    const leaves: [string, number][] = [];
    numericLeaves(doc, '', leaves);
    for (const [path, value] of leaves) if (path !== timePath) samples.push({ key: { device: opts.device, sensor, ...fieldAndUnit(path) }, ts, value });
  }
  return { samples };
}

export class JsonLinesDecoder implements LineDecoder {
  constructor(private readonly opts: JsonLinesOptions) {}

  push(line: string, receivedAtMs?: number): LineOutcome {
    if (line.trim() === '') return { samples: [] };
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (error) {
      return { samples: [], error: `invalid JSON: ${(error as Error).message}` };
    }
    if (doc === null || typeof doc !== 'object') return { samples: [], error: 'not a JSON object' };
    return jsonSamples(doc, this.opts, receivedAtMs);
  }
}

export interface KeyValueOptions {
  device: string;
  sensor?: string;
  timeKey?: string;
}

const KV = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

export class KeyValueDecoder implements LineDecoder {
  constructor(private readonly opts: KeyValueOptions) {}

  push(line: string, receivedAtMs?: number): LineOutcome {
    if (line.trim() === '') return { samples: [] };
    const pairs = [...line.matchAll(KV)].map((m) => [m[1]!, m[2]!.startsWith('"') ? m[2]!.slice(1, -1) : m[2]!] as const);
    if (pairs.length === 0) return { samples: [], error: 'no key=value pairs' };
    const timeKey = this.opts.timeKey ?? pairs.find(([k]) => TIME_NAMES.includes(k.toLowerCase()))?.[0];
    const timePair = pairs.find(([k]) => k === timeKey);
    const ts = timePair ? parseTimestamp(timePair[1]) : receivedAtMs;
    if (ts === undefined) return { samples: [], error: 'no usable timestamp' };
    const samples: Sample[] = [];
    for (const [k, raw] of pairs) {
      const value = k === timeKey ? undefined : numeric(raw);
      if (value !== undefined) samples.push({ key: { device: this.opts.device, sensor: this.opts.sensor ?? 'kv', ...fieldAndUnit(k) }, ts, value });
    }
    return { samples };
  }
}
