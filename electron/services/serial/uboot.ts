/** Talking to U-Boot over a session: stop autoboot, run commands to the prompt, load files with loady + crc32. */
import { crc32, hex32 } from '../../../shared/serial/crc.js';
import type { ModemFile } from '../../../shared/serial/modem-sender.js';
import {
  DEFAULT_UBOOT_PROMPT, commandOutput, endsWithPrompt, findAutobootCountdown, parseCrc32Output, parseLoadTotal,
} from '../../../shared/serial/uboot-parse.js';
import { sendFiles, type ByteLink, type TransferProgress } from './transfer.js';

export interface UbootLink extends ByteLink {
  close?(): Promise<void>;
}

export interface UbootOptions {
  prompt?: string;
  /** Sent repeatedly to stop autoboot; Ctrl-C also aborts a boot script already running. */
  stopKey?: string;
}

export interface LoadResult {
  /** Bytes U-Boot reports it received. */
  received: number;
  localCrc32: string;
  ubootCrc32: string;
  match: boolean;
}

export class UbootTimeoutError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class UbootConsole {
  private transcript = '';
  private changed: (() => void) | null = null;
  private readonly untap: () => void;
  private readonly prompt: string;
  private readonly stopKey: string;
  /** Seconds left when a countdown banner was seen, if it was. */
  countdownSeen: number | null = null;

  constructor(private readonly link: ByteLink, opts: UbootOptions = {}) {
    this.prompt = opts.prompt ?? DEFAULT_UBOOT_PROMPT;
    this.stopKey = opts.stopKey ?? '\x03';
    const dec = new TextDecoder('latin1');
    this.untap = link.tap((b) => {
      this.transcript += dec.decode(b, { stream: true });
      if (this.transcript.length > 1 << 20) this.transcript = this.transcript.slice(-(1 << 19));
      this.changed?.();
    });
  }

  dispose(): void {
    this.untap();
  }

  /**
   * Gets to the prompt: keeps pressing the stop key until the output ends with the prompt and stays quiet.
   * Works whether the countdown is running, has not started yet, or already ended at the prompt.
   */
  async reachPrompt(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.link.write(new TextEncoder().encode('\r'));
    while (Date.now() < deadline) {
      const cd = findAutobootCountdown(this.transcript);
      if (cd && this.countdownSeen === null) this.countdownSeen = cd.secondsLeft;
      if (endsWithPrompt(this.transcript, this.prompt) && (await this.quietFor(300))) return;
      await this.link.write(new TextEncoder().encode(this.stopKey));
      await this.waitForChange(150);
    }
    throw new UbootTimeoutError(`no U-Boot prompt "${this.prompt.trim()}" within ${timeoutMs} ms`);
  }

  /** Runs one command and returns its output (without the echo and the final prompt). */
  async run(command: string, timeoutMs = 10_000): Promise<string> {
    if (/[\r\n]/.test(command)) throw new Error('one command per call');
    this.transcript = '';
    await this.link.write(new TextEncoder().encode(`${command}\r`));
    await this.until(() => {
      const nl = this.transcript.indexOf('\n');
      return nl >= 0 && endsWithPrompt(this.transcript.slice(nl + 1), this.prompt);
    }, timeoutMs, `"${command}" did not return to the prompt`);
    return commandOutput(this.transcript, command, this.prompt);
  }

  /**
   * `loady ADDR` + YMODEM (or `loadx ADDR` + XMODEM-1K), then `crc32 ADDR SIZE` over the file's own size, compared
   * with the local CRC32. XMODEM pads the last block, so after loadx U-Boot reports up to a block more than the file.
   */
  async loadAndVerify(
    addr: number,
    file: ModemFile,
    opts: { via?: 'loady' | 'loadx'; onProgress?: (p: TransferProgress) => void; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<LoadResult> {
    const via = opts.via ?? 'loady';
    const a = `0x${addr.toString(16)}`;
    this.transcript = '';
    await this.link.write(new TextEncoder().encode(`${via} ${a}\r`));
    await this.until(() => /Ready for binary|C/.test(this.transcript.slice(this.transcript.indexOf('\n') + 1)), 10_000, `U-Boot did not start ${via} (is the command available?)`);
    const result = await sendFiles(this.link, via === 'loady' ? 'ymodem' : 'xmodem1k', [file], {
      startTimeoutMs: 15_000,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!result.ok) throw new Error(`${via} transfer to U-Boot failed: ${result.detail}`);
    await this.until(() => endsWithPrompt(this.transcript, this.prompt), opts.timeoutMs ?? 15_000, `no prompt after ${via}`);
    const received = parseLoadTotal(this.transcript);
    if (received === null) throw new Error(`U-Boot did not report the loaded size after ${via}`);
    const size = via === 'loady' ? received : file.data.length;
    const out = await this.run(`crc32 ${a} ${size.toString(16)}`);
    const theirs = parseCrc32Output(out);
    if (theirs === null) throw new Error(`unexpected crc32 output: ${out.split('\n')[0] ?? ''}`);
    const ours = crc32(file.data);
    const sizeOk = via === 'loady' ? received === file.data.length : received >= file.data.length;
    return { received, localCrc32: hex32(ours), ubootCrc32: hex32(theirs), match: sizeOk && ours === theirs };
  }

  private async quietFor(ms: number): Promise<boolean> {
    const before = this.transcript.length;
    await sleep(ms);
    return this.transcript.length === before;
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.changed = () => {
        this.changed = null;
        done();
      };
    });
  }

  private async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new UbootTimeoutError(`${what} (timeout ${timeoutMs} ms)`);
      await this.waitForChange(Math.min(100, deadline - Date.now() + 1));
    }
  }
}
