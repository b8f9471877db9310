import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { pickBaudRate, printableRatio, AUTODETECT_BAUD_RATES } from './baud-detect.js';

/** What a UART sampling at `rxBaud` makes of 8N1 bytes sent back to back at `txBaud`. */
function uartReceive(bytes: Uint8Array, txBaud: number, rxBaud: number): Uint8Array {
  const bitT = 1 / txBaud;
  const level = (t: number) => {
    const frame = Math.floor(t / (10 * bitT));
    if (frame < 0 || frame >= bytes.length) return 1;
    const bit = Math.floor((t - frame * 10 * bitT) / bitT);
    if (bit === 0) return 0;
    if (bit === 9) return 1;
    return (bytes[frame]! >> (bit - 1)) & 1;
  };
  const end = bytes.length * 10 * bitT;
  const step = Math.min(bitT, 1 / rxBaud) / 8;
  const rxT = 1 / rxBaud;
  const out: number[] = [];
  for (let t = 0; t < end; t += step) {
    if (level(t) !== 0) continue;
    let b = 0;
    for (let k = 0; k < 8; k++) b |= level(t + (k + 1.5) * rxT) << k;
    if (level(t + 9.5 * rxT)) out.push(b);
    t += 9.5 * rxT;
  }
  return new Uint8Array(out);
}

const consoleText = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789=:.-_/#\r\n'.split('')), { minLength: 60, maxLength: 120 })
  .map((cs) => new TextEncoder().encode(cs.join('')));

describe('baud auto-detect scoring', () => {
  it('scores text 1 and an empty sample 0', () => {
    expect(printableRatio(new TextEncoder().encode('U-Boot 2024.01\r\n=> '))).toBe(1);
    expect(printableRatio(new Uint8Array())).toBe(0);
    expect(pickBaudRate([{ baudRate: 9600, bytes: new Uint8Array([0xff, 0x00, 0x80, 0xfe, 0, 0, 0, 0]) }]).baudRate).toBeNull();
  });

  it('finds the rate a simulated UART sent text at', () => {
    fc.assert(
      fc.property(consoleText, fc.constantFrom(115200, 9600, 57600, 38400), (text, txBaud) => {
        const samples = AUTODETECT_BAUD_RATES.map((baudRate) => ({ baudRate, bytes: uartReceive(text, txBaud, baudRate) }));
        expect(pickBaudRate(samples).baudRate).toBe(txBaud);
      }),
      { numRuns: 25 },
    );
  });
});
