/**
 * The meta column of one block, in WebAssembly (AssemblyScript, built by `npm run build:wasm`); meta-column.ts wraps
 * it and segment-format.ts documents the column. Per row: varint(nanoseconds after the previous row), varint(stream),
 * u8 level, varint(message UTF-8 bytes), varint(fields JSON UTF-8 bytes). With it: the levels present, the streams
 * present and the rows per minute, as the block's footer entry keeps them. In V8's optimised JavaScript this cost
 * about a tenth of a block's encoding.
 */
import { Area } from './area';

const MINUTE_NS: f64 = 60_000_000_000;

/** The rows, written by meta-column.ts: i64 ts | u32 stream | u32 message bytes | u32 fields bytes | u8 level. */
const input = new Area();
const column = new Area();
/** Flat (minute, rows) pairs, minutes counted from the first row's minute. */
const minutes = new Area();
/** The distinct streams in the order first met, and a bit per stream id marking those met. */
const streams = new Area();
const seen = new Area();
let columnBytes = 0;
let minuteValues = 0;
let streamCount = 0;
let levelMask = 0;

/** Where to write the input of `rows` rows. */
export function rowArea(rows: i32): usize {
  return input.fit(rows * 21);
}

/**
 * Builds the column of the rows in the input area (sorted by time, spanning under 2^52 ns); `intoMinute`: the
 * nanoseconds the first row lies into its minute.
 */
export function build(rows: i32, intoMinute: f64): void {
  const ts = input.ptr;
  const stream = ts + (<usize>rows << 3);
  const messageBytes = stream + (<usize>rows << 2);
  const fieldBytes = messageBytes + (<usize>rows << 2);
  const level = fieldBytes + (<usize>rows << 2);
  // per row at most 8 + 5 + 1 + 5 + 5 bytes
  let at = column.fit(rows * 24);
  const start = at;
  const first = load<i64>(ts);
  let previous: i64 = 0;
  let mask = 0;
  streamCount = 0;
  minuteValues = 0;
  let minute: f64 = -1;
  let minuteEnd: f64 = -1;
  let minuteRows = 0;
  for (let row = 0; row < rows; row++) {
    const offset = load<i64>(ts + (<usize>row << 3)) - first;
    at = varint(at, <u64>(offset - previous));
    previous = offset;
    const id = load<u32>(stream + (<usize>row << 2));
    at = varint(at, id);
    const rowLevel = <i32>load<u8>(level + <usize>row);
    store<u8>(at++, <u8>rowLevel);
    at = varint(at, load<u32>(messageBytes + (<usize>row << 2)));
    at = varint(at, load<u32>(fieldBytes + (<usize>row << 2)));
    mask |= 1 << rowLevel;
    noteStream(id);
    // in doubles, as the JavaScript that built the column before did: the same minutes, so the same footers
    const nanoseconds = <f64>offset;
    if (nanoseconds >= minuteEnd) {
      if (minuteRows > 0) addMinute(minute, minuteRows);
      minute = Math.floor((nanoseconds + intoMinute) / MINUTE_NS);
      minuteEnd = (minute + 1) * MINUTE_NS - intoMinute;
      minuteRows = 0;
    }
    minuteRows++;
  }
  if (minuteRows > 0) addMinute(minute, minuteRows);
  for (let i = 0; i < streamCount; i++) {
    const id = <u32>streams.i32(i);
    store<u8>(seen.ptr + (id >> 3), 0);
  }
  columnBytes = <i32>(at - start);
  levelMask = mask;
}

@inline function varint(at: usize, value: u64): usize {
  let v = value;
  while (v >= 0x80) {
    store<u8>(at++, <u8>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  store<u8>(at++, <u8>v);
  return at;
}

@inline function noteStream(id: u32): void {
  const byte = id >> 3;
  if (<i32>byte >= seen.bytes) {
    const old = seen.bytes;
    memory.fill(seen.fit(<i32>byte + 1, old) + <usize>old, 0, <usize>(seen.bytes - old));
  }
  const at = seen.ptr + byte;
  const bit = 1 << <i32>(id & 7);
  const marks = <i32>load<u8>(at);
  if (marks & bit) return;
  store<u8>(at, <u8>(marks | bit));
  streams.fit((streamCount + 1) * 4, streamCount * 4);
  streams.setI32(streamCount++, <i32>id);
}

function addMinute(minute: f64, rows: i32): void {
  minutes.fit((minuteValues + 2) * 4, minuteValues * 4);
  minutes.setI32(minuteValues++, <i32>minute);
  minutes.setI32(minuteValues++, rows);
}

export function columnArea(): usize {
  return column.ptr;
}
export function columnLength(): i32 {
  return columnBytes;
}
export function levels(): i32 {
  return levelMask;
}
export function minuteArea(): usize {
  return minutes.ptr;
}
export function minuteLength(): i32 {
  return minuteValues;
}
export function streamArea(): usize {
  return streams.ptr;
}
export function streamLength(): i32 {
  return streamCount;
}
