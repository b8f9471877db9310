/**
 * Chunk codec: Gorilla-style delta-of-delta timestamps, and values either XOR-coded (Gorilla) or, when (nearly) every
 * value is a short decimal, as integer mantissas with one exponent (bit-packed deltas, raw exceptions). Each chunk keeps
 * the smaller of the two (the Gorilla pass is skipped when a 128-value probe shows it 1.5x larger).
 * Values round-trip bit-exactly (NaN payloads, ±Infinity, -0): they are read and written as raw 32-bit words.
 *
 * Layout (little-endian): 88-byte header | u32 timestamp word count | timestamp words | value words.
 */
import { BitReader, BitWriter } from './bits.js';
import { aggregateOf, type Aggregate } from './stats.js';

export type ValueMode = 'gorilla' | 'decimal';

export interface ChunkHeader {
  mode: ValueMode;
  /** Decimal exponent (0 in Gorilla mode). */
  exponent: number;
  count: number;
  /** Timestamps in the chunk are integer ticks relative to this base. */
  base: bigint;
  stats: Aggregate;
}

export interface DecodedChunk extends ChunkHeader {
  ts: Float64Array;
  values: Float64Array;
}

const MAGIC = 0xc7;
const VERSION = 1;
export const CHUNK_HEADER_BYTES = 88;
const MAX_TS = 2 ** 52;
const MAX_MANTISSA = 2 ** 50;
const MAX_EXPONENT = 15;
const POW10 = Array.from({ length: MAX_EXPONENT + 1 }, (_, e) => 10 ** e);
const TWO32 = 2 ** 32;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

function writeRawDouble(w: BitWriter, v: number): void {
  scratch[0] = v;
  w.write(scratchWords[1]!, 32);
  w.write(scratchWords[0]!, 32);
}

function readRawDouble(r: BitReader): number {
  scratchWords[1] = r.read(32);
  scratchWords[0] = r.read(32);
  return scratch[0]!;
}

const ctz32 = (x: number) => 31 - Math.clz32(x & -x);

function encodeTimestamps(ts: Float64Array): BitWriter {
  const n = ts.length;
  const w = new BitWriter((n >>> 4) + 8);
  if (n === 0) return w;
  checkTimestamp(ts[0]!);
  writeRawDouble(w, ts[0]!);
  let prev = ts[0]!;
  let prevDelta = 0;
  let zeros = 0;
  for (let i = 1; i < n; i++) {
    const t = ts[i]!;
    if (!(Math.abs(t) <= MAX_TS) || Math.floor(t) !== t) checkTimestamp(t);
    const delta = t - prev;
    if (delta === prevDelta) {
      zeros++;
      prev = t;
      continue;
    }
    if (zeros > 0) {
      w.writeZeros(zeros);
      zeros = 0;
    }
    const dod = delta - prevDelta;
    const z = dod >= 0 ? 2 * dod : -2 * dod - 1;
    if (z < 128) w.write((0b10 << 7) | z, 9);
    else if (z < 512) w.write((0b110 << 9) | z, 12);
    else if (z < 4096) w.write((0b1110 << 12) | z, 16);
    else if (z < TWO32) {
      w.write(0b11110, 5);
      w.write(z, 32);
    } else {
      w.write(0b11111, 5);
      writeRawDouble(w, t);
    }
    prevDelta = delta;
    prev = t;
  }
  if (zeros > 0) w.writeZeros(zeros);
  return w;
}

function checkTimestamp(t: number): void {
  if (!Number.isInteger(t) || Math.abs(t) > MAX_TS) throw new RangeError(`timestamp ${t} is not an integer within ±2^52 of the chunk base`);
}

const DOD_WIDTHS = [7, 9, 12, 32];

function decodeTimestamps(r: BitReader, count: number): Float64Array {
  const ts = new Float64Array(count);
  if (count === 0) return ts;
  let prev = readRawDouble(r);
  ts[0] = prev;
  let prevDelta = 0;
  let i = 1;
  while (i < count) {
    // A run of 0 bits: that many samples at the same interval.
    for (const end = i + r.skipZeros(count - i); i < end; i++) ts[i] = prev += prevDelta;
    if (i === count) break;
    r.readBit();
    // Each further 1 bit selects the next wider width; four of them mean a raw timestamp follows.
    let z = -1;
    for (const width of DOD_WIDTHS) {
      if (r.readBit() === 0) {
        z = r.read(width);
        break;
      }
    }
    const t = z < 0 ? readRawDouble(r) : prev + prevDelta + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    ts[i++] = t;
    prevDelta = t - prev;
    prev = t;
  }
  return ts;
}

function encodeGorilla(values: Float64Array): BitWriter {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const w = new BitWriter((values.length >>> 1) + 8);
  if (values.length === 0) return w;
  let prevLo = words[0]!;
  let prevHi = words[1]!;
  w.write(prevHi, 32);
  w.write(prevLo, 32);
  let prevLead = -1;
  let prevTrail = 0;
  for (let i = 1; i < values.length; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    const xh = (hi ^ prevHi) >>> 0;
    const xl = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if ((xh | xl) === 0) {
      w.writeBit(0);
      continue;
    }
    let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    if (lead > 31) lead = 31;
    const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    let shift: number;
    let n: number;
    if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
      w.write(0b10, 2);
      shift = prevTrail;
      n = 64 - prevLead - prevTrail;
    } else {
      shift = trail;
      n = 64 - lead - trail;
      w.write((0b11 << 11) | (lead << 6) | (n & 63), 13);
      prevLead = lead;
      prevTrail = trail;
    }
    let sh = xh;
    let sl = xl;
    if (shift >= 32) {
      sl = xh >>> (shift - 32);
      sh = 0;
    } else if (shift > 0) {
      sl = ((xl >>> shift) | (xh << (32 - shift))) >>> 0;
      sh = xh >>> shift;
    }
    w.write64(sh, sl, n);
  }
  return w;
}

function decodeGorilla(r: BitReader, count: number): Float64Array {
  const values = new Float64Array(count);
  if (count === 0) return values;
  const words = new Uint32Array(values.buffer);
  let hi = r.read(32);
  let lo = r.read(32);
  words[0] = lo;
  words[1] = hi;
  let lead = 0;
  let n = 0;
  for (let i = 1; i < count; i++) {
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        lead = r.read(5);
        n = r.read(6) || 64;
      }
      const trail = 64 - lead - n;
      let sh = 0;
      let sl: number;
      if (n > 32) {
        sh = r.read(n - 32);
        sl = r.read(32);
      } else sl = r.read(n);
      let xh: number;
      let xl: number;
      if (trail >= 32) {
        xh = (sl << (trail - 32)) >>> 0;
        xl = 0;
      } else if (trail > 0) {
        xh = ((sh << trail) | (sl >>> (32 - trail))) >>> 0;
        xl = (sl << trail) >>> 0;
      } else {
        xh = sh;
        xl = sl;
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
  }
  return values;
}

const isDecimalCandidate = (v: number) => Number.isFinite(v) && !Object.is(v, -0) && Math.abs(v) < MAX_MANTISSA;

/** The smallest exponent >= `from` at which `v` is a short decimal, or -1. */
function exponentFor(v: number, from: number): number {
  for (let e = from; e <= MAX_EXPONENT; e++) if (Math.round(v * POW10[e]!) / POW10[e]! === v) return e;
  return -1;
}

// Scratch space reused by every decimal encoding (chunks are encoded one at a time).
let mantissas = new Float64Array(4096);
let zigzags = new Float64Array(4096);
let exceptionAt = new Int32Array(256);

/**
 * Decimal mode: mantissas at one exponent, deltas bit-packed at the chunk's widest width; values that are not short
 * decimals (NaN, ±Infinity, -0, 1/3...) are exceptions stored raw after the deltas (their mantissa repeats the previous).
 * The exponent starts at `exponentHint` (the series' previous chunk) and grows when a value needs more digits; m/10^e
 * and m·10^k/10^(e+k) are the same exact rational, so mantissas stay exact when scaled up, and when all of them are
 * multiples of ten at the end they are scaled down to the smallest exponent.
 */
function encodeDecimal(values: Float64Array, exponentHint: number): { writer: BitWriter; exponent: number } | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  if (mantissas.length < n) {
    mantissas = new Float64Array(n);
    zigzags = new Float64Array(n);
  }
  const maxExceptions = n >>> 4;
  if (exceptionAt.length < maxExceptions) exceptionAt = new Int32Array(maxExceptions);
  const ms = mantissas;
  const zig = zigzags;
  let exceptions = 0;
  const hinted = exponentHint > 0 && exponentHint <= MAX_EXPONENT;
  // A hint larger than the chunk needs may push mantissas out of range: start again from 0 then.
  const withoutHint = () => (hinted ? encodeDecimal(values, 0) : undefined);
  let e = hinted ? exponentHint : 0;
  let scale = POW10[e]!;
  let prev = 0;
  let maxZ = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let m = Math.round(v * scale);
    if (!storable(m, v, scale)) {
      const grown = m / scale !== v && isDecimalCandidate(v) ? exponentFor(v, e + 1) : -1;
      if (grown > e) {
        const factor = POW10[grown - e]!;
        for (let j = 0; j < i; j++) if (Math.abs((ms[j] = ms[j]! * factor)) >= MAX_MANTISSA) return withoutHint();
        maxZ = zigzagDeltas(ms, zig, i);
        prev *= factor;
        e = grown;
        scale = POW10[e]!;
        m = Math.round(v * scale);
      }
      if (!storable(m, v, scale)) {
        if (hinted && m !== 0 && m / scale === v) return withoutHint();
        if (exceptions === maxExceptions) return undefined;
        exceptionAt[exceptions++] = i;
        m = prev;
      }
    }
    if (i === 0) prev = m;
    const z = zigzag(m - prev);
    ms[i] = m;
    zig[i] = z;
    if (z > maxZ) maxZ = z;
    prev = m;
  }
  if (e > 0 && allMultiplesOfTen(ms, n)) {
    do {
      for (let i = 0; i < n; i++) ms[i] = ms[i]! / 10;
      e--;
    } while (e > 0 && allMultiplesOfTen(ms, n));
    maxZ = zigzagDeltas(ms, zig, n);
  }
  const width = maxZ === 0 ? 0 : maxZ < TWO32 ? 32 - Math.clz32(maxZ) : Math.floor(Math.log2(maxZ)) + 1;
  const w = new BitWriter(((n * width) >>> 5) + 8 + exceptions * 3);
  writeRawDouble(w, ms[0]!);
  w.write(width, 6);
  if (width > 0) {
    if (width <= 32) w.writeFixed(zig, 1, n, width);
    else for (let i = 1; i < n; i++) w.write64(Math.floor(zig[i]! / TWO32), zig[i]! >>> 0, width);
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  w.write(exceptions, 32);
  for (let k = 0; k < exceptions; k++) {
    const i = exceptionAt[k]!;
    w.write(i, 32);
    w.write(words[2 * i + 1]!, 32);
    w.write(words[2 * i]!, 32);
  }
  return { writer: w, exponent: e };
}

/** `m` at `scale` decodes to exactly `v` (NaN and ±Infinity never do; -0 would come back as 0). */
const storable = (m: number, v: number, scale: number) => m / scale === v && Math.abs(m) < MAX_MANTISSA && (m !== 0 || 1 / v > 0);

/** Zigzag code of an integer delta (|d| < 2^51), without a branch on its sign: 0, -1, 1, -2... → 0, 1, 2, 3... */
const zigzag = (d: number) => Math.abs(2 * d + 0.5) - 0.5;

/** Fills zig[1..n) from the mantissas' deltas; returns the largest. */
function zigzagDeltas(ms: Float64Array, zig: Float64Array, n: number): number {
  let maxZ = 0;
  for (let i = 1; i < n; i++) {
    const z = (zig[i] = zigzag(ms[i]! - ms[i - 1]!));
    if (z > maxZ) maxZ = z;
  }
  return maxZ;
}

function allMultiplesOfTen(ms: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (ms[i]! % 10 !== 0) return false;
  return true;
}

function decodeDecimal(r: BitReader, count: number, exponent: number): Float64Array {
  const values = new Float64Array(count);
  if (count === 0) return values;
  const scale = POW10[exponent]!;
  let m = readRawDouble(r);
  values[0] = m / scale;
  const width = r.read(6);
  if (width <= 32) {
    if (width > 0) r.readFixed(values, 1, count, width);
    for (let i = 1; i < count; i++) {
      const z = width > 0 ? values[i]! : 0;
      m += (z >>> 1) ^ -(z & 1);
      values[i] = m / scale;
    }
  } else {
    for (let i = 1; i < count; i++) {
      const z = r.read(width - 32) * TWO32 + r.read(32);
      m += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      values[i] = m / scale;
    }
  }
  const words = new Uint32Array(values.buffer);
  for (let k = r.read(32); k > 0; k--) {
    const i = r.read(32);
    if (i >= count) throw new RangeError('chunk exception index out of range');
    words[2 * i + 1] = r.read(32);
    words[2 * i] = r.read(32);
  }
  return values;
}

const PROBE = 128;

/** Saves the full Gorilla pass when XOR-coding a prefix already costs 1.5x the decimal encoding of the whole chunk. */
function gorillaClearlyLarger(values: Float64Array, decimalBits: number): boolean {
  if (values.length < 8 * PROBE) return false;
  const probeBits = encodeGorilla(values.subarray(0, PROBE)).bitLength;
  return (probeBits * values.length) / PROBE > 1.5 * decimalBits;
}

export interface EncodeOptions {
  /** The chunk's aggregate when the caller has it already (it is computed otherwise). */
  stats?: Aggregate;
  /** Decimal exponent to try first: the series' previous chunk's (see `ChunkHeader.exponent`). */
  exponentHint?: number;
}

/** Encodes samples; `ts` are integer ticks relative to `base`, in time order. */
export function encodeChunk(ts: Float64Array, values: Float64Array, base = 0n, options: EncodeOptions = {}): Uint8Array {
  if (ts.length !== values.length) throw new RangeError('timestamps and values differ in length');
  const tsWords = encodeTimestamps(ts).finish();
  const decimal = encodeDecimal(values, options.exponentHint ?? 0);
  const gorilla = decimal && gorillaClearlyLarger(values, decimal.writer.bitLength) ? undefined : encodeGorilla(values);
  const useDecimal = decimal !== undefined && (gorilla === undefined || decimal.writer.bitLength < gorilla.bitLength);
  const valueWords = (useDecimal ? decimal.writer : gorilla!).finish();
  const out = new Uint8Array(CHUNK_HEADER_BYTES + 4 + (tsWords.length + valueWords.length) * 4);
  const view = new DataView(out.buffer);
  const stats = options.stats ?? aggregateOf(ts, values);
  view.setUint8(0, MAGIC);
  view.setUint8(1, VERSION);
  view.setUint8(2, useDecimal ? 1 : 0);
  view.setUint8(3, useDecimal ? decimal.exponent : 0);
  view.setUint32(4, ts.length, true);
  view.setBigInt64(8, base, true);
  const fields = [stats.sum, stats.min, stats.minTs, stats.max, stats.maxTs, stats.firstTs, stats.first, stats.lastTs, stats.last];
  fields.forEach((f, i) => view.setFloat64(16 + i * 8, f, true));
  view.setUint32(CHUNK_HEADER_BYTES, tsWords.length, true);
  new Uint32Array(out.buffer, CHUNK_HEADER_BYTES + 4, tsWords.length).set(tsWords);
  new Uint32Array(out.buffer, CHUNK_HEADER_BYTES + 4 + tsWords.length * 4, valueWords.length).set(valueWords);
  return out;
}

export function readChunkHeader(bytes: Uint8Array): ChunkHeader {
  if (bytes.length < CHUNK_HEADER_BYTES + 4) throw new RangeError('chunk shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== MAGIC || view.getUint8(1) !== VERSION) throw new RangeError('not a telemetry chunk');
  const f = (i: number) => view.getFloat64(16 + i * 8, true);
  return {
    mode: view.getUint8(2) === 1 ? 'decimal' : 'gorilla',
    exponent: view.getUint8(3),
    count: view.getUint32(4, true),
    base: view.getBigInt64(8, true),
    stats: {
      count: view.getUint32(4, true),
      sum: f(0),
      min: f(1),
      minTs: f(2),
      max: f(3),
      maxTs: f(4),
      firstTs: f(5),
      first: f(6),
      lastTs: f(7),
      last: f(8),
    },
  };
}

export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const header = readChunkHeader(bytes);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const payload = new Uint32Array(aligned.buffer, aligned.byteOffset + CHUNK_HEADER_BYTES, (aligned.byteLength - CHUNK_HEADER_BYTES) >>> 2);
  const tsWordCount = payload[0]!;
  if (tsWordCount + 1 > payload.length) throw new RangeError('chunk payload truncated');
  const ts = decodeTimestamps(new BitReader(payload.subarray(1, 1 + tsWordCount)), header.count);
  const valueReader = new BitReader(payload.subarray(1 + tsWordCount));
  const values =
    header.mode === 'decimal' ? decodeDecimal(valueReader, header.count, header.exponent) : decodeGorilla(valueReader, header.count);
  return { ...header, ts, values };
}
