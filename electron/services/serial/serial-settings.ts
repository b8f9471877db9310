/** Line settings of a session and how they map onto the serialport package. */
export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';
export type LineEnding = 'cr' | 'lf' | 'crlf';

export interface SerialSettings {
  /** Any positive integer; non-standard rates are set with the OS's custom-rate call. */
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: Parity;
  stopBits: 1 | 1.5 | 2;
  /** Hardware flow control. */
  rtscts: boolean;
  /** Software flow control (XON/XOFF both ways). */
  xonxoff: boolean;
  /** What `sendLine` appends. */
  lineEnding: LineEnding;
}

export const DEFAULT_SETTINGS: SerialSettings = {
  baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xonxoff: false, lineEnding: 'cr',
};

export const LINE_ENDINGS: Record<LineEnding, string> = { cr: '\r', lf: '\n', crlf: '\r\n' };

export function validateSettings(s: SerialSettings): SerialSettings {
  if (!Number.isInteger(s.baudRate) || s.baudRate <= 0 || s.baudRate > 20_000_000) throw new Error(`invalid baud rate: ${s.baudRate}`);
  if (![5, 6, 7, 8].includes(s.dataBits)) throw new Error(`invalid data bits: ${s.dataBits}`);
  if (!['none', 'even', 'odd', 'mark', 'space'].includes(s.parity)) throw new Error(`invalid parity: ${s.parity}`);
  if (![1, 1.5, 2].includes(s.stopBits)) throw new Error(`invalid stop bits: ${s.stopBits}`);
  if (!(s.lineEnding in LINE_ENDINGS)) throw new Error(`invalid line ending: ${s.lineEnding}`);
  return s;
}

export function openOptions(path: string, s: SerialSettings) {
  return {
    path, baudRate: s.baudRate, dataBits: s.dataBits, parity: s.parity, stopBits: s.stopBits,
    rtscts: s.rtscts, xon: s.xonxoff, xoff: s.xonxoff,
  } as const;
}

/** `115200 8N1` style summary. */
export function describeSettings(s: SerialSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits}${s.rtscts ? ' rtscts' : ''}${s.xonxoff ? ' xonxoff' : ''}`;
}
