/**
 * Binary records of the telemetry store, used inside WAL frames and segment files:
 *   series definition: u8 1 | pad3 | u32 id | u32 byteLength | pad4 | JSON {key, unit, epochNs}, padded to 8 bytes
 *   sample batch:      u8 2 | pad3 | u32 id | u32 count      | pad4 | f64 ts[count] | f64 values[count]
 *   sealed chunk:      u8 3 | pad3 | u32 id | u32 byteLength | u32 fromHead | chunk bytes, padded to 8 bytes
 * In the WAL, a chunk record stands for the series' head being sealed: its first `fromHead` samples are the last ones
 * the head held (logged before as sample batches), the rest are new. In segments `fromHead` is 0.
 */
import type { SeriesKey } from '../../../shared/telemetry/series.js';
import type { TimeUnit } from './clock.js';

export type StoreRecord =
  | { kind: 'series'; id: number; key: SeriesKey; unit: TimeUnit; epochNs: bigint }
  | { kind: 'samples'; id: number; ts: Float64Array; values: Float64Array }
  | { kind: 'chunk'; id: number; bytes: Uint8Array; fromHead: number };

/** A decoded chunk record's bytes are a view into the payload; `at` is where they start in it. */
export type DecodedRecord = Exclude<StoreRecord, { kind: 'chunk' }> | { kind: 'chunk'; id: number; bytes: Uint8Array; fromHead: number; at: number };

const HEADER = 16;
const pad8 = (n: number) => (n + 7) & ~7;

/** Encodes records into one payload; `bodyOffsets`, when given, receives where each record's body starts in it. */
export function encodeRecords(records: readonly StoreRecord[], bodyOffsets?: number[]): Uint8Array {
  const parts = records.map((r) => (r.kind === 'series' ? { r, body: new TextEncoder().encode(JSON.stringify({ key: r.key, unit: r.unit, epochNs: String(r.epochNs) })) } : { r, body: undefined }));
  const size = parts.reduce((n, { r, body }) => n + HEADER + (r.kind === 'samples' ? r.ts.length * 16 : pad8(body?.length ?? (r.kind === 'chunk' ? r.bytes.length : 0))), 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const { r, body } of parts) {
    bodyOffsets?.push(at + HEADER);
    view.setUint8(at, r.kind === 'series' ? 1 : r.kind === 'samples' ? 2 : 3);
    view.setUint32(at + 4, r.id, true);
    if (r.kind === 'samples') {
      const n = r.ts.length;
      view.setUint32(at + 8, n, true);
      new Float64Array(out.buffer, at + HEADER, n).set(r.ts);
      new Float64Array(out.buffer, at + HEADER + n * 8, n).set(r.values);
      at += HEADER + n * 16;
    } else {
      const bytes = body ?? (r as { bytes: Uint8Array }).bytes;
      view.setUint32(at + 8, bytes.length, true);
      if (r.kind === 'chunk') view.setUint32(at + 12, r.fromHead, true);
      out.set(bytes, at + HEADER);
      at += HEADER + pad8(bytes.length);
    }
  }
  return out;
}

export function decodeRecords(payload: Uint8Array): DecodedRecord[] {
  const bytes = payload.byteOffset % 8 === 0 ? payload : payload.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: DecodedRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER) throw new RangeError('record header truncated');
    const kind = view.getUint8(at);
    const id = view.getUint32(at + 4, true);
    const n = view.getUint32(at + 8, true);
    const bodyAt = bytes.byteOffset + at + HEADER;
    const bodyLength = kind === 2 ? n * 16 : pad8(n);
    if (at + HEADER + bodyLength > bytes.length) throw new RangeError('record body truncated');
    if (kind === 1) {
      const def = JSON.parse(new TextDecoder().decode(bytes.subarray(at + HEADER, at + HEADER + n))) as { key: SeriesKey; unit: TimeUnit; epochNs: string };
      out.push({ kind: 'series', id, key: def.key, unit: def.unit, epochNs: BigInt(def.epochNs) });
    } else if (kind === 2) out.push({ kind: 'samples', id, ts: new Float64Array(bytes.buffer.slice(bodyAt, bodyAt + n * 8)), values: new Float64Array(bytes.buffer.slice(bodyAt + n * 8, bodyAt + n * 16)) });
    else if (kind === 3) out.push({ kind: 'chunk', id, bytes: bytes.subarray(at + HEADER, at + HEADER + n), fromHead: view.getUint32(at + 12, true), at: at + HEADER });
    else throw new RangeError(`unknown record kind ${kind}`);
    at += HEADER + bodyLength;
  }
  return out;
}
