const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export interface DecodedText {
  text: string;
  /** True when invalid UTF-8 sequences were replaced by U+FFFD. */
  invalidUtf8: boolean;
}

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictUtf8.decode(bytes), invalidUtf8: false };
  } catch {
    return { text: lenientUtf8.decode(bytes), invalidUtf8: true };
  }
}

/** NUL cannot travel through every store and UI; it is shown as the visible symbol U+2400 instead. */
export const NUL_SYMBOL = '\u2400';

export function replaceNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', NUL_SYMBOL) : text;
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL|ST), and two-byte escapes (ESC + one char).
// eslint-disable-next-line no-control-regex -- escape sequences are control characters
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') || text.includes('\x9b') ? text.replace(ANSI, '') : text;
}

// C0 controls except TAB, and DEL: noise a serial console emits (BEL, backspace, NUL padding).
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROLS, '');
}

export function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return end === text.length ? text : text.slice(0, end);
}
