/**
 * A serial session: one open port, every received byte timestamped into a capture file and a LogSink (with or
 * without a UI attached), automatic reconnect when the same adapter returns, and the controls a console needs.
 */
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SerialPort } from 'serialport';
import type { LogRecord, LogSink } from '../../../shared/logs/record.js';
import { LineAssembler, lineToRecord } from '../../../shared/serial/lines.js';
import { pickBaudRate, AUTODETECT_BAUD_RATES, type BaudVerdict } from '../../../shared/serial/baud-detect.js';
import { concat } from '../../../shared/serial/capture-format.js';
import { CaptureWriter, exportRaw, exportText } from './capture-file.js';
import { describePort, locateAdapter, type PortDescriptor } from './ports.js';
import { DEFAULT_SETTINGS, LINE_ENDINGS, describeSettings, openOptions, validateSettings, type SerialSettings } from './serial-settings.js';
import { nowNs } from './clock.js';

export type SessionState = 'open' | 'reconnecting' | 'closed';

export interface SessionOptions {
  path: string;
  settings?: Partial<SerialSettings>;
  /** Receives one record per received line (source `serial`, device = adapter identity). */
  sink: LogSink;
  /** Directory for the session's capture file. */
  captureDir: string;
  site?: string;
  /** Reopen automatically when the adapter comes back (default true). */
  reconnect?: boolean;
  reconnectPollMs?: number;
  /** An unfinished line (e.g. a prompt) becomes a record after this much silence. */
  idleLineMs?: number;
  /** How often received data is written to the capture file and the sink. */
  flushIntervalMs?: number;
}

export interface RxChunk {
  tsNs: bigint;
  bytes: Uint8Array;
}

export interface SignalState {
  dtr: boolean;
  rts: boolean;
}

export interface SessionStatus {
  id: string;
  /** Path currently open (may change on reconnect for adapters with a serial number). */
  path: string;
  name: string;
  device: string;
  state: SessionState;
  settings: SerialSettings;
  signals: SignalState;
  bytesIn: number;
  bytesOut: number;
  /** Receive rate over the last status interval, bytes/s. */
  rateIn: number;
  reconnects: number;
  capturePath: string;
  openedAtNs: string;
  lastError?: string;
}

export interface SessionEvents {
  /** Received bytes, in order, as they arrive. */
  data: [RxChunk];
  /** State changes, and counters at most twice a second while data flows. */
  status: [SessionStatus];
  disconnected: [reason: string];
  reconnected: [path: string];
  /** Non-fatal problems (sink or capture write failures; the data is kept and retried). */
  error: [Error];
}

const HIGH_WATER_BYTES = 8 << 20;
const LOW_WATER_BYTES = 1 << 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where sessions keep their raw capture files inside FieldKit's data folder. */
export const captureDirOf = (dataDir: string) => join(dataDir, 'serial', 'captures');

export class SerialSession extends EventEmitter<SessionEvents> {
  readonly id: string;
  private port: SerialPort | null = null;
  private state: SessionState = 'open';
  private settings: SerialSettings;
  private signals: SignalState = { dtr: true, rts: true };
  private readonly lines = new LineAssembler();
  private pendingRecords: LogRecord[] = [];
  private pendingBytes = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private paused = false;
  private taps = new Set<(bytes: Uint8Array) => void>();
  private bytesIn = 0;
  private bytesOut = 0;
  private rateIn = 0;
  private lastRateAt = { t: Date.now(), bytes: 0 };
  private reconnects = 0;
  private lastError: string | undefined;
  private readonly openedAtNs = nowNs();
  private expectingClose = false;

  private constructor(
    private readonly opts: SessionOptions,
    private desc: PortDescriptor,
    private readonly capture: CaptureWriter,
    settings: SerialSettings,
  ) {
    super();
    this.id = capture.path.replace(/^.*\//, '').replace(/\.fkcap$/, '');
    this.settings = settings;
  }

  /** Opens the port and starts capturing. Rejects with a one-line reason (no port, busy, bad settings). */
  static async open(opts: SessionOptions): Promise<SerialSession> {
    const settings = validateSettings({ ...DEFAULT_SETTINGS, ...opts.settings });
    const desc = await describePort(opts.path);
    const port = await openPort(opts.path, settings);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const id = `${stamp}-${desc.identity.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+/, '')}-${randomBytes(3).toString('hex')}`;
    const capture = await mkdir(opts.captureDir, { recursive: true })
      .then(() => CaptureWriter.create(join(opts.captureDir, `${id}.fkcap`)))
      .catch(async (err: Error) => {
      await closePort(port);
      throw new Error(`cannot create capture file in ${opts.captureDir}: ${err.message}`);
    });
    const session = new SerialSession(opts, desc, capture, settings);
    session.note(`opened ${opts.path} (${desc.name}) ${describeSettings(settings)}`);
    session.attach(port);
    return session;
  }

  get device(): string {
    return this.desc.identity;
  }

  status(): SessionStatus {
    return {
      id: this.id, path: this.port?.path ?? this.desc.path, name: this.desc.name, device: this.desc.identity,
      state: this.state, settings: { ...this.settings }, signals: { ...this.signals },
      bytesIn: this.bytesIn, bytesOut: this.bytesOut, rateIn: this.rateIn, reconnects: this.reconnects,
      capturePath: this.capture.path, openedAtNs: this.openedAtNs.toString(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Sends bytes as they are. Rejects while the adapter is away (the caller decides whether to retry). */
  async write(data: Uint8Array | string): Promise<void> {
    const port = this.requirePort();
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.length);
    this.capture.add({ dir: 'tx', tsNs: nowNs(), bytes: new Uint8Array(buf) });
    await new Promise<void>((resolve, reject) => {
      port.write(buf, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
    });
    this.bytesOut += buf.length;
  }

  /** Sends `text` followed by the configured line ending. */
  sendLine(text: string): Promise<void> {
    return this.write(text + LINE_ENDINGS[this.settings.lineEnding]);
  }

  /** Changes settings; a baud-only change is applied in place, others reopen the port (capture continues). */
  async update(change: Partial<SerialSettings>): Promise<void> {
    const next = validateSettings({ ...this.settings, ...change });
    const port = this.requirePort();
    const prev = this.settings;
    const keys = (Object.keys(next) as (keyof SerialSettings)[]).filter((k) => next[k] !== prev[k] && k !== 'lineEnding');
    if (keys.length === 0) {
      this.settings = next;
      return;
    }
    if (keys.every((k) => k === 'baudRate')) {
      await new Promise<void>((res, rej) => port.update({ baudRate: next.baudRate }, (e) => (e ? rej(e) : res())));
    } else {
      this.expectingClose = true;
      await closePort(port);
      this.expectingClose = false;
      const reopened = await openPort(port.path, next).catch((err: Error) => {
        void this.onDisconnect(`reopen with new settings failed: ${err.message}`);
        throw err;
      });
      this.attach(reopened);
    }
    this.settings = next;
    this.note(`settings ${describeSettings(next)}`);
    this.emitStatus();
  }

  /** Sets DTR and/or RTS (the other keeps its state). Many ptys and some adapters refuse; that rejects. */
  async setSignals(change: Partial<SignalState>): Promise<void> {
    const next = { ...this.signals, ...change };
    await this.setLines({ ...next, brk: false }, 'set DTR/RTS');
    this.signals = next;
    this.emitStatus();
  }

  /** Holds the line in BREAK for `ms`. */
  async sendBreak(ms = 250): Promise<void> {
    await this.setLines({ ...this.signals, brk: true }, 'send BREAK');
    await sleep(ms);
    await this.setLines({ ...this.signals, brk: false }, 'end BREAK');
    this.note(`break ${ms} ms`);
  }

  /** Raw view of received bytes for protocol drivers (transfers, U-Boot); capture continues meanwhile. */
  tap(listener: (bytes: Uint8Array) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  /**
   * Tries each rate for `sampleMs` (after `settleMs`), optionally sending `probe` (e.g. "\r") to provoke output, and keeps the rate
   * whose input looks most like text; keeps the current rate when none does.
   */
  async detectBaud(opts: { rates?: readonly number[]; sampleMs?: number; settleMs?: number; probe?: string } = {}): Promise<BaudVerdict> {
    const original = this.settings.baudRate;
    const samples = [];
    for (const baudRate of opts.rates ?? AUTODETECT_BAUD_RATES) {
      await this.update({ baudRate });
      // Bytes already in the adapter's FIFO were received at the previous rate.
      await sleep(opts.settleMs ?? 50);
      let bytes: Uint8Array = new Uint8Array();
      const untap = this.tap((b) => (bytes = concat(bytes, b)));
      if (opts.probe) await this.write(opts.probe);
      await sleep(opts.sampleMs ?? 400);
      untap();
      samples.push({ baudRate, bytes });
    }
    const verdict = pickBaudRate(samples);
    await this.update({ baudRate: verdict.baudRate ?? original });
    this.note(`baud auto-detect: ${verdict.baudRate ?? 'no rate found'}`);
    return verdict;
  }

  /** Writes everything received so far to the capture file and the sink (durably). */
  async flush(): Promise<void> {
    const partial = this.lines.flush();
    if (partial) this.queueRecord(lineToRecord(partial, this.labels()));
    await this.flushNow(true);
  }

  async exportRaw(dest: string): Promise<number> {
    await this.flush();
    return exportRaw(this.capture.path, dest);
  }

  async exportText(dest: string): Promise<number> {
    await this.flush();
    return exportText(this.capture.path, dest);
  }

  /** Stops reconnecting, closes the port, and makes everything captured durable. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.setState('closed');
    this.clearTimers();
    const port = this.port;
    this.port = null;
    if (port) {
      this.expectingClose = true;
      await closePort(port);
    }
    this.note('closed');
    await this.flush();
    await this.capture.close();
    this.removeAllListeners('data');
  }

  private labels() {
    return { device: this.desc.identity, ...(this.opts.site ? { site: this.opts.site } : {}) };
  }

  private requirePort(): SerialPort {
    if (this.state === 'closed') throw new Error('session is closed');
    if (!this.port) throw new Error(`${this.desc.path} is disconnected (waiting for it to come back)`);
    return this.port;
  }

  private async setLines(flags: { dtr: boolean; rts: boolean; brk: boolean }, what: string): Promise<void> {
    const port = this.requirePort();
    await new Promise<void>((res, rej) => port.set(flags, (e) => (e ? rej(e) : res()))).catch((err: Error) => {
      throw new Error(`cannot ${what} on ${port.path}: ${err.message}`);
    });
  }

  private note(text: string) {
    this.capture.add({ dir: 'note', tsNs: nowNs(), bytes: new TextEncoder().encode(text) });
  }

  private attach(port: SerialPort) {
    this.port = port;
    this.paused = false;
    port.on('data', (buf: Buffer) => this.onData(buf));
    port.on('error', (err: Error) => this.fail(err));
    port.once('close', (err?: Error | null) => {
      if (this.port === port) this.port = null;
      if (this.expectingClose || this.state === 'closed') return;
      void this.onDisconnect(err?.message ?? 'port closed');
    });
    this.statusTimer ??= setInterval(() => this.tickStatus(), 500);
    this.statusTimer.unref();
  }

  private onData(buf: Buffer) {
    const tsNs = nowNs();
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    this.bytesIn += bytes.length;
    this.capture.add({ dir: 'rx', tsNs, bytes });
    for (const line of this.lines.push(tsNs, bytes)) this.queueRecord(lineToRecord(line, this.labels()));
    this.pendingBytes += bytes.length;
    for (const t of this.taps) t(bytes);
    this.emit('data', { tsNs, bytes });
    this.armIdleLine();
    this.scheduleFlush();
    if (!this.paused && this.backlog() > HIGH_WATER_BYTES) {
      this.paused = true;
      this.port?.pause();
    }
  }

  private queueRecord(r: LogRecord) {
    this.pendingRecords.push(r);
  }

  private backlog() {
    return this.pendingBytes + this.capture.backlog;
  }

  private armIdleLine() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (!this.lines.hasPartial) return;
    this.idleTimer = setTimeout(() => {
      const partial = this.lines.flush();
      if (partial) this.queueRecord(lineToRecord(partial, this.labels()));
      this.scheduleFlush();
    }, this.opts.idleLineMs ?? 200);
    this.idleTimer.unref();
  }

  private scheduleFlush() {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushNow(false).catch(() => undefined);
    }, this.opts.flushIntervalMs ?? 50);
  }

  /** Batches go out one after another, in order; on failure the records stay queued for the next attempt. */
  private flushNow(sync: boolean): Promise<void> {
    const run = this.flushChain.then(() => this.flushBatch(sync));
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  private async flushBatch(sync: boolean): Promise<void> {
    const records = this.pendingRecords;
    const bytes = this.pendingBytes;
    this.pendingRecords = [];
    this.pendingBytes = 0;
    try {
      await Promise.all([this.capture.flush(sync), records.length ? this.opts.sink.append(records) : undefined]);
    } catch (err) {
      this.pendingRecords = records.concat(this.pendingRecords);
      this.pendingBytes += bytes;
      this.fail(err as Error);
      if (this.state !== 'closed') setTimeout(() => this.scheduleFlush(), 1000).unref();
      throw err;
    }
    if (this.paused && this.backlog() < LOW_WATER_BYTES) {
      this.paused = false;
      this.port?.resume();
    }
  }

  private async onDisconnect(reason: string) {
    this.note(`disconnected: ${reason}`);
    this.lastError = reason;
    this.setState('reconnecting');
    this.emit('disconnected', reason);
    await this.flush().catch(() => undefined);
    if (this.opts.reconnect === false) {
      await this.close();
      return;
    }
    while (this.state === 'reconnecting') {
      await sleep(this.opts.reconnectPollMs ?? 250);
      if (this.state !== 'reconnecting') return;
      const path = await locateAdapter(this.desc);
      if (!path) continue;
      const port = await openPort(path, this.settings).catch(() => null);
      if (!port) continue;
      if (this.state !== 'reconnecting') {
        await closePort(port);
        return;
      }
      this.reconnects++;
      this.note(`reconnected on ${path}`);
      this.attach(port);
      this.setState('open');
      this.emit('reconnected', path);
    }
  }

  private fail(err: Error) {
    this.lastError = err.message;
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private setState(s: SessionState) {
    this.state = s;
    this.emitStatus();
  }

  private tickStatus() {
    const now = Date.now();
    const delta = this.bytesIn - this.lastRateAt.bytes;
    this.rateIn = Math.round((delta * 1000) / Math.max(1, now - this.lastRateAt.t));
    const changed = delta !== 0;
    this.lastRateAt = { t: now, bytes: this.bytesIn };
    if (changed) this.emitStatus();
  }

  private emitStatus() {
    this.emit('status', this.status());
  }

  private clearTimers() {
    for (const t of [this.flushTimer, this.idleTimer]) if (t) clearTimeout(t);
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.flushTimer = this.idleTimer = this.statusTimer = null;
  }
}

async function openPort(path: string, settings: SerialSettings): Promise<SerialPort> {
  const port = new SerialPort({ ...openOptions(path, settings), autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res()))).catch((err: Error) => {
    const busy = /lock|busy|temporarily unavailable/i.test(err.message);
    throw new Error(busy ? `port busy: ${path} is in use by another program` : `cannot open ${path}: ${err.message.replace(/^Error:\s*/, '')}`);
  });
  return port;
}

function closePort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((res) => port.close(() => res()));
}
