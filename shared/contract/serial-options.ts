/** The serial contract's option lists and defaults, without zod, so the renderer can import them cheaply. */
export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const LINE_ENDING_MODES = ['cr', 'lf', 'crlf'] as const;
export const TRANSFER_PROTOCOLS = ['xmodem', 'xmodem1k', 'ymodem'] as const;
export type TransferProtocol = (typeof TRANSFER_PROTOCOLS)[number];

export const DEFAULT_LINE_SETTINGS = {
  baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xonxoff: false, lineEnding: 'cr',
} as const;
