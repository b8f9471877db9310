/** Recognising U-Boot console output (pure). */

/** Countdown banners of U-Boot and common vendor variants; group 1 is the seconds left when printed. */
const AUTOBOOT_PATTERNS = [
  /Hit any key to stop autoboot:\s*(\d+)/,
  /Press SPACE to abort autoboot in (\d+) seconds?/,
  /Autobooting in (\d+) seconds?/,
  /autoboot in (\d+) seconds?/i,
];

export function findAutobootCountdown(text: string): { secondsLeft: number } | null {
  for (const re of AUTOBOOT_PATTERNS) {
    const m = re.exec(text);
    if (m) return { secondsLeft: Number(m[1]) };
  }
  return null;
}

export const DEFAULT_UBOOT_PROMPT = '=> ';

/** True when the console output ends with the prompt at the start of a line (or of the output). */
export function endsWithPrompt(text: string, prompt = DEFAULT_UBOOT_PROMPT): boolean {
  if (!text.endsWith(prompt)) return false;
  const before = text.length - prompt.length;
  return before === 0 || text[before - 1] === '\n' || text[before - 1] === '\r';
}

/**
 * U-Boot's `crc32 ADDR SIZE` prints `crc32 for 40200000 ... 402003ff ==> 1b6d2c1a` (hex, no 0x).
 * Returns the CRC, or null when the output holds no such line.
 */
export function parseCrc32Output(text: string): number | null {
  const m = /crc32 for [0-9a-fA-F]+ \.\.\. [0-9a-fA-F]+ ==> ([0-9a-fA-F]{8})/.exec(text);
  return m ? parseInt(m[1]!, 16) : null;
}

/** `loady`/`loadx` end with `## Total Size      = 0x00000400 = 1024 Bytes`. */
export function parseLoadTotal(text: string): number | null {
  const m = /## Total Size\s*=\s*0x[0-9a-fA-F]+\s*=\s*(\d+) Bytes/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The first line of `version`, e.g. `U-Boot 2024.01+dfsg-1 (Jan 10 2024 - 10:00:00 +0000)`. */
export function parseVersion(text: string): string | null {
  const m = /^(U-Boot \S+.*?)\s*$/m.exec(text);
  return m ? m[1]! : null;
}

/** Output of a command: what follows the echoed command line, up to the final prompt. */
export function commandOutput(transcript: string, command: string, prompt = DEFAULT_UBOOT_PROMPT): string {
  const echo = transcript.lastIndexOf(command);
  const start = echo < 0 ? 0 : transcript.indexOf('\n', echo) + 1;
  const body = transcript.slice(start);
  return (endsWithPrompt(body, prompt) ? body.slice(0, body.length - prompt.length) : body).replace(/\r/g, '').trimEnd();
}

export function parseAddress(text: string): number | null {
  const t = text.trim();
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}
