/** XMODEM / XMODEM-1K / YMODEM block framing (pure). */
import { crc16Xmodem, sum8 } from './crc.js';

export const SOH = 0x01;
export const STX = 0x02;
export const EOT = 0x04;
export const ACK = 0x06;
export const BS = 0x08;
export const NAK = 0x15;
export const CAN = 0x18;
export const CRC_START = 0x43; // 'C'
export const CPMEOF = 0x1a;

export type ModemProtocol = 'xmodem' | 'xmodem1k' | 'ymodem';
export const MODEM_PROTOCOLS: readonly ModemProtocol[] = ['xmodem', 'xmodem1k', 'ymodem'];
export type CheckMode = 'checksum' | 'crc';

/** What a sender transmits to cancel: CANs (receivers need two in a row), then backspaces to wipe them from a shell line. */
export const CANCEL_SEQUENCE = new Uint8Array([...new Array<number>(8).fill(CAN), ...new Array<number>(8).fill(BS)]);

/** Frames one block: SOH|STX, seq, ~seq, payload padded to 128|1024 with `pad`, then sum8 or CRC16 (big-endian). */
export function frameBlock(seq: number, payload: Uint8Array, size: 128 | 1024, check: CheckMode, pad = CPMEOF): Uint8Array {
  if (payload.length > size) throw new RangeError(`payload of ${payload.length} bytes exceeds block size ${size}`);
  const out = new Uint8Array(3 + size + (check === 'crc' ? 2 : 1));
  out[0] = size === 1024 ? STX : SOH;
  out[1] = seq & 0xff;
  out[2] = ~seq & 0xff;
  out.set(payload, 3);
  out.fill(pad, 3 + payload.length, 3 + size);
  if (check === 'crc') {
    const c = crc16Xmodem(out, 3, 3 + size);
    out[3 + size] = c >> 8;
    out[4 + size] = c & 0xff;
  } else {
    out[3 + size] = sum8(out, 3, 3 + size);
  }
  return out;
}

export interface ParsedBlock {
  seq: number;
  payload: Uint8Array;
}

/** Inverse of frameBlock; returns null when the framing or check value is wrong. */
export function parseBlock(frame: Uint8Array, check: CheckMode): ParsedBlock | null {
  const size = frame[0] === STX ? 1024 : frame[0] === SOH ? 128 : 0;
  if (size === 0 || frame.length !== 3 + size + (check === 'crc' ? 2 : 1)) return null;
  if (((frame[1]! ^ frame[2]!) & 0xff) !== 0xff) return null;
  const ok =
    check === 'crc'
      ? crc16Xmodem(frame, 3, 3 + size) === ((frame[3 + size]! << 8) | frame[4 + size]!)
      : sum8(frame, 3, 3 + size) === frame[3 + size];
  return ok ? { seq: frame[1]!, payload: frame.slice(3, 3 + size) } : null;
}

export interface YmodemFileInfo {
  name: string;
  size: number;
  /** Seconds since the epoch. */
  mtime?: number;
}

/** YMODEM block 0: `name NUL size[ mtime-octal] NUL`, zero-padded; a 1K block when it does not fit in 128. */
export function ymodemHeader(file: YmodemFileInfo, check: CheckMode): Uint8Array {
  const name = file.name.split(/[\\/]/).pop() ?? '';
  if (name.length === 0) throw new Error('YMODEM needs a file name');
  const meta = file.mtime === undefined ? `${file.size}` : `${file.size} ${Math.floor(file.mtime).toString(8)}`;
  const body = new TextEncoder().encode(`${name}\0${meta}\0`);
  if (body.length > 1024) throw new Error(`file name too long for YMODEM: ${name}`);
  return frameBlock(0, body, body.length <= 128 ? 128 : 1024, check, 0);
}

/** YMODEM end of batch: an empty block 0. */
export function ymodemEndOfBatch(check: CheckMode): Uint8Array {
  return frameBlock(0, new Uint8Array(), 128, check, 0);
}

export function parseYmodemHeader(payload: Uint8Array): YmodemFileInfo | null {
  const nul = payload.indexOf(0);
  if (nul <= 0) return null;
  const dec = new TextDecoder();
  const end = payload.indexOf(0, nul + 1);
  const [size, mtime] = dec.decode(payload.subarray(nul + 1, end < 0 ? undefined : end)).split(' ');
  const info: YmodemFileInfo = { name: dec.decode(payload.subarray(0, nul)), size: Number(size) };
  if (mtime) info.mtime = parseInt(mtime, 8);
  return Number.isSafeInteger(info.size) ? info : null;
}

/** Block sizes a sender uses for `length` bytes: 1K blocks (if allowed) while more than 128 bytes remain, else 128. */
export function blockPlan(length: number, use1k: boolean): number[] {
  const plan: number[] = [];
  for (let left = length; left > 0; ) {
    const size = use1k && left > 128 ? 1024 : 128;
    plan.push(size);
    left -= Math.min(size, left);
  }
  return plan;
}
