/**
 * A block's meta column (segment-format.ts documents it) and what the block's footer entry says of its rows: the
 * levels present, the streams present and the rows per minute. Built in WebAssembly (assembly/meta-column.ts); each
 * MetaColumn has its own instance, with its own memory.
 */
import { instantiateWasm } from './wasm-module.js';

interface MetaColumnExports {
  rowArea(rows: number): number;
  build(rows: number, intoMinute: number): void;
  columnArea(): number;
  columnLength(): number;
  levels(): number;
  minuteArea(): number;
  minuteLength(): number;
  streamArea(): number;
  streamLength(): number;
}

/** A block's rows, sorted by time and spanning under 2^52 ns. */
export interface MetaRows {
  ts: BigInt64Array;
  stream: Uint32Array;
  level: Uint8Array;
  /** Each message's UTF-8 bytes. */
  lengths: Uint32Array;
}

export interface BuiltMeta {
  column: Buffer;
  levelMask: number;
  /** Sorted. */
  streams: number[];
  /** Flat (minute, rows) pairs, minutes counted from the first row's minute. */
  minutes: number[];
}

export class MetaColumn {
  private readonly wasm = instantiateWasm<MetaColumnExports>('meta-column');

  /**
   * `fieldBytes`: each row's fields JSON in UTF-8 bytes, null when no row has fields; `intoMinute`: the nanoseconds
   * the first row lies into its minute.
   */
  build(rows: MetaRows, fieldBytes: Uint32Array | null, intoMinute: number): BuiltMeta {
    const { wasm } = this;
    const n = rows.ts.length;
    const at = wasm.rowArea(n);
    const { buffer } = wasm.memory;
    new BigInt64Array(buffer, at, n).set(rows.ts);
    new Uint32Array(buffer, at + n * 8, n).set(rows.stream);
    new Uint32Array(buffer, at + n * 12, n).set(rows.lengths);
    const fields = new Uint32Array(buffer, at + n * 16, n);
    if (fieldBytes) fields.set(fieldBytes);
    else fields.fill(0);
    new Uint8Array(buffer, at + n * 20, n).set(rows.level);
    wasm.build(n, intoMinute);
    const built = wasm.memory.buffer;
    return {
      column: Buffer.from(new Uint8Array(built, wasm.columnArea(), wasm.columnLength())),
      levelMask: wasm.levels(),
      // sorted where they are (scratch until the next build), by the typed array's numeric sort: no callback per pair
      streams: Array.from(new Uint32Array(built, wasm.streamArea(), wasm.streamLength()).sort()),
      minutes: Array.from(new Int32Array(built, wasm.minuteArea(), wasm.minuteLength())),
    };
  }
}
