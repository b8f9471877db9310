/** Baud-rate auto-detect scoring: at the wrong rate a UART yields mostly non-printable bytes. */

export const STANDARD_BAUD_RATES = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000] as const;

/** Rates tried by auto-detect, most likely first. */
export const AUTODETECT_BAUD_RATES = [115200, 9600, 57600, 38400, 19200, 230400, 460800, 921600, 1500000] as const;

const isTextByte = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x1b;

/** Fraction of bytes that look like console text (printable ASCII, CR, LF, TAB, ESC). 0 for an empty sample. */
export function printableRatio(sample: Uint8Array): number {
  if (sample.length === 0) return 0;
  let ok = 0;
  for (const b of sample) if (isTextByte(b)) ok++;
  return ok / sample.length;
}

export interface BaudSample {
  baudRate: number;
  bytes: Uint8Array;
}

export interface BaudVerdict {
  baudRate: number | null;
  scores: { baudRate: number; ratio: number; bytes: number }[];
}

/**
 * Picks the rate whose sample is most text-like. A rate wins only with at least `minBytes` bytes and a ratio of at
 * least `minRatio`; ties go to the larger sample (a too-slow rate merges characters into fewer bytes).
 */
export function pickBaudRate(samples: readonly BaudSample[], minRatio = 0.9, minBytes = 8): BaudVerdict {
  const scores = samples.map((s) => ({ baudRate: s.baudRate, ratio: printableRatio(s.bytes), bytes: s.bytes.length }));
  const best = scores
    .filter((s) => s.bytes >= minBytes && s.ratio >= minRatio)
    .sort((x, y) => y.ratio - x.ratio || y.bytes - x.bytes)[0];
  return { baudRate: best?.baudRate ?? null, scores };
}
