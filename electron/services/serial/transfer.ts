/** Runs the pure XMODEM/YMODEM sender over a byte link (a session), with progress, speed and cancel. */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ModemSender, type ModemFile, type ModemProgress, type ModemSenderOptions, type ModemOutcome } from '../../../shared/serial/modem-sender.js';
import { concat } from '../../../shared/serial/capture-format.js';
import type { ModemProtocol } from '../../../shared/serial/modem-frames.js';

export interface ByteLink {
  write(bytes: Uint8Array): Promise<void>;
  tap(listener: (bytes: Uint8Array) => void): () => void;
}

export interface TransferProgress extends ModemProgress {
  protocol: ModemProtocol;
  elapsedMs: number;
  /** Acknowledged payload bytes per second since the start. */
  bytesPerSec: number;
}

export interface TransferOptions extends ModemSenderOptions {
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** Minimum time between progress callbacks (the final one always comes). */
  progressIntervalMs?: number;
}

export type TransferResult = ModemOutcome & { progress: TransferProgress };

export async function loadFiles(paths: readonly string[]): Promise<ModemFile[]> {
  return Promise.all(
    paths.map(async (p) => {
      const st = await stat(p).catch(() => null);
      if (!st?.isFile()) throw new Error(`not a file: ${p}`);
      return { name: basename(p), data: new Uint8Array(await readFile(p)), mtime: Math.floor(st.mtimeMs / 1000) };
    }),
  );
}

export async function sendFiles(link: ByteLink, protocol: ModemProtocol, files: readonly ModemFile[], opts: TransferOptions = {}): Promise<TransferResult> {
  const sender = new ModemSender(protocol, files, opts);
  const started = Date.now();
  let inbox: Uint8Array = new Uint8Array();
  let wake: (() => void) | null = null;
  const untap = link.tap((b) => {
    inbox = concat(inbox, b);
    wake?.();
  });
  const onAbort = () => wake?.();
  opts.signal?.addEventListener('abort', onAbort);
  let lastReport = 0;
  const progress = (): TransferProgress => {
    const elapsedMs = Date.now() - started;
    const p = sender.progress();
    return { ...p, protocol, elapsedMs, bytesPerSec: elapsedMs > 0 ? Math.round((p.totalSent * 1000) / elapsedMs) : 0 };
  };

  const next = (timeoutMs: number) =>
    new Promise<'bytes' | 'timeout' | 'abort'>((resolve) => {
      const check = () => (opts.signal?.aborted ? 'abort' : inbox.length ? 'bytes' : null);
      const now = check();
      if (now) return resolve(now);
      const timer = setTimeout(() => {
        wake = null;
        resolve('timeout');
      }, timeoutMs);
      wake = () => {
        const r = check();
        if (!r) return;
        clearTimeout(timer);
        wake = null;
        resolve(r);
      };
    });

  try {
    let step = sender.start();
    while (!step.outcome) {
      if (step.send) await link.write(step.send);
      const ev = await next(step.timeoutMs);
      if (ev === 'bytes') {
        const bytes = inbox;
        inbox = new Uint8Array();
        step = sender.receive(bytes);
      } else {
        step = ev === 'abort' ? sender.cancel() : sender.timeout();
      }
      if (opts.onProgress && Date.now() - lastReport >= (opts.progressIntervalMs ?? 200)) {
        lastReport = Date.now();
        opts.onProgress(progress());
      }
    }
    if (step.send) await link.write(step.send).catch(() => undefined);
    const final = progress();
    opts.onProgress?.(final);
    return { ...step.outcome, progress: final };
  } finally {
    untap();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
