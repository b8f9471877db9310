/**
 * XMODEM / XMODEM-1K / YMODEM sender as a pure state machine. The caller feeds received bytes and timeouts and
 * performs the returned step: write `send`, then wait `timeoutMs` for more bytes (or stop when `outcome` is set).
 */
import {
  ACK, CAN, CANCEL_SEQUENCE, CRC_START, EOT, NAK,
  blockPlan, frameBlock, ymodemEndOfBatch, ymodemHeader,
  type CheckMode, type ModemProtocol,
} from './modem-frames.js';

export interface ModemFile {
  name: string;
  data: Uint8Array;
  mtime?: number;
}

export interface ModemSenderOptions {
  /** How long to wait for the receiver's first NAK / 'C'. */
  startTimeoutMs?: number;
  /** How long to wait for an ACK after a block. */
  blockTimeoutMs?: number;
  /** Retransmissions of one block before giving up. */
  maxRetries?: number;
}

export type ModemOutcome =
  | { ok: true }
  | { ok: false; reason: 'timeout' | 'retries' | 'cancelled-by-receiver' | 'cancelled' | 'unsupported'; detail: string };

export interface ModemStep {
  send?: Uint8Array;
  timeoutMs: number;
  outcome?: ModemOutcome;
}

export interface ModemProgress {
  fileIndex: number;
  fileCount: number;
  fileName: string;
  /** Bytes of the current file acknowledged by the receiver. */
  fileSent: number;
  fileSize: number;
  /** Acknowledged bytes across all files. */
  totalSent: number;
  totalSize: number;
  retries: number;
  check: CheckMode | null;
}

type State =
  | 'wait-start' // waiting for NAK / 'C'
  | 'sent-header' // YMODEM block 0 sent, waiting for ACK
  | 'wait-data-start' // YMODEM header ACKed, waiting for 'C'
  | 'sent-block'
  | 'sent-eot'
  | 'wait-next' // YMODEM file done, waiting for 'C' to send the next header or the end of batch
  | 'sent-end' // YMODEM end-of-batch sent
  | 'finished';

export class ModemSender {
  private state: State = 'wait-start';
  private check: CheckMode | null = null;
  private fileIndex = 0;
  private plan: number[] = [];
  private blockIndex = 0;
  private fileOffset = 0;
  private doneBefore = 0;
  private retries = 0;
  private totalRetries = 0;
  private lastByteWasCan = false;
  private current: Uint8Array | null = null;
  private readonly startTimeoutMs: number;
  private readonly blockTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly totalSize: number;

  constructor(
    readonly protocol: ModemProtocol,
    private readonly files: readonly ModemFile[],
    opts: ModemSenderOptions = {},
  ) {
    if (files.length === 0) throw new Error('nothing to send');
    if (protocol !== 'ymodem' && files.length > 1) throw new Error(`${protocol} sends one file at a time`);
    this.startTimeoutMs = opts.startTimeoutMs ?? 60_000;
    this.blockTimeoutMs = opts.blockTimeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 10;
    this.totalSize = files.reduce((n, f) => n + f.data.length, 0);
  }

  /** The first step: nothing to send, wait for the receiver. */
  start(): ModemStep {
    return { timeoutMs: this.startTimeoutMs };
  }

  get done(): boolean {
    return this.state === 'finished';
  }

  progress(): ModemProgress {
    const file = this.files[Math.min(this.fileIndex, this.files.length - 1)]!;
    return {
      fileIndex: this.fileIndex,
      fileCount: this.files.length,
      fileName: file.name,
      fileSent: this.fileOffset,
      fileSize: file.data.length,
      totalSent: this.doneBefore + this.fileOffset,
      totalSize: this.totalSize,
      retries: this.totalRetries,
      check: this.check,
    };
  }

  /** Feed received bytes (several may arrive at once); returns the step to perform next. */
  receive(bytes: Uint8Array): ModemStep {
    let step: ModemStep = { timeoutMs: this.waitMs() };
    for (const b of bytes) {
      if (this.state === 'finished') break;
      const s = this.onByte(b);
      if (s) step = { ...s, ...(step.send || s.send ? { send: concat(step.send, s.send) } : {}) };
    }
    return step;
  }

  timeout(): ModemStep {
    if (this.state === 'finished') return { timeoutMs: 0 };
    if (this.state === 'wait-start') return this.fail('timeout', 'receiver never asked for data (no NAK or C)');
    if (this.state === 'wait-next' || this.state === 'wait-data-start') return this.fail('timeout', `receiver went silent (${this.state})`);
    return this.retransmit('timeout');
  }

  /** Local cancel: tells the receiver with CAN CAN. */
  cancel(): ModemStep {
    if (this.state === 'finished') return { timeoutMs: 0 };
    this.state = 'finished';
    return { send: CANCEL_SEQUENCE, timeoutMs: 0, outcome: { ok: false, reason: 'cancelled', detail: 'cancelled by user' } };
  }

  private waitMs(): number {
    return this.state === 'wait-start' ? this.startTimeoutMs : this.blockTimeoutMs;
  }

  private onByte(b: number): ModemStep | null {
    if (b === CAN) {
      if (this.lastByteWasCan) return this.fail('cancelled-by-receiver', 'receiver sent CAN CAN', false);
      this.lastByteWasCan = true;
      return null;
    }
    this.lastByteWasCan = false;
    switch (this.state) {
      case 'wait-start':
        if (b !== NAK && b !== CRC_START) return null;
        this.check = b === CRC_START ? 'crc' : 'checksum';
        return this.protocol === 'ymodem' ? this.sendHeader() : this.beginFileData();
      case 'sent-header':
        if (b === ACK) {
          this.retries = 0;
          if (this.currentFile().data.length === 0) return this.sendEot();
          this.state = 'wait-data-start';
          return { timeoutMs: this.blockTimeoutMs };
        }
        return b === NAK || b === CRC_START ? this.retransmit('NAK on header') : null;
      case 'wait-data-start':
        return b === CRC_START || b === NAK ? this.beginFileData() : null;
      case 'sent-block':
        if (b === ACK) {
          this.fileOffset += Math.min(this.plan[this.blockIndex]!, this.currentFile().data.length - this.fileOffset);
          this.blockIndex++;
          this.retries = 0;
          return this.blockIndex < this.plan.length ? this.sendBlock() : this.sendEot();
        }
        return b === NAK ? this.retransmit('NAK') : null;
      case 'sent-eot':
        if (b === ACK) return this.nextFile();
        return b === NAK ? this.retransmit('NAK on EOT') : null;
      case 'wait-next':
        if (b !== CRC_START && b !== NAK) return null;
        return this.fileIndex < this.files.length ? this.sendHeader() : this.transmit(ymodemEndOfBatch(this.check!), 'sent-end');
      case 'sent-end':
        if (b === ACK) return this.finish();
        return b === NAK || b === CRC_START ? this.retransmit('NAK on end of batch') : null;
      case 'finished':
        return null;
    }
  }

  private currentFile(): ModemFile {
    return this.files[this.fileIndex]!;
  }

  private transmit(frame: Uint8Array, state: State): ModemStep {
    this.current = frame;
    this.state = state;
    return { send: frame, timeoutMs: this.blockTimeoutMs };
  }

  private retransmit(why: string): ModemStep {
    if (!this.current) return { timeoutMs: this.waitMs() };
    this.totalRetries++;
    if (++this.retries > this.maxRetries) return this.fail('retries', `gave up after ${this.maxRetries} retries (${why})`);
    return { send: this.current, timeoutMs: this.blockTimeoutMs };
  }

  private sendHeader(): ModemStep {
    const f = this.currentFile();
    const info = { name: f.name, size: f.data.length, ...(f.mtime === undefined ? {} : { mtime: f.mtime }) };
    return this.transmit(ymodemHeader(info, this.check!), 'sent-header');
  }

  private beginFileData(): ModemStep {
    this.plan = blockPlan(this.currentFile().data.length, this.protocol !== 'xmodem');
    this.blockIndex = 0;
    this.fileOffset = 0;
    return this.plan.length === 0 ? this.sendEot() : this.sendBlock();
  }

  private sendBlock(): ModemStep {
    const size = this.plan[this.blockIndex]! as 128 | 1024;
    const data = this.currentFile().data.subarray(this.fileOffset, this.fileOffset + size);
    return this.transmit(frameBlock(this.blockIndex + 1, data, size, this.check!), 'sent-block');
  }

  private sendEot(): ModemStep {
    return this.transmit(new Uint8Array([EOT]), 'sent-eot');
  }

  private nextFile(): ModemStep {
    this.retries = 0;
    if (this.protocol !== 'ymodem') return this.finish();
    this.doneBefore += this.currentFile().data.length;
    this.fileOffset = 0;
    this.fileIndex++;
    this.state = 'wait-next';
    return { timeoutMs: this.blockTimeoutMs };
  }

  private finish(): ModemStep {
    this.state = 'finished';
    if (this.protocol !== 'ymodem') this.fileOffset = this.currentFile().data.length;
    return { timeoutMs: 0, outcome: { ok: true } };
  }

  private fail(reason: Exclude<ModemOutcome, { ok: true }>['reason'], detail: string, tellReceiver = true): ModemStep {
    this.state = 'finished';
    return { ...(tellReceiver ? { send: CANCEL_SEQUENCE } : {}), timeoutMs: 0, outcome: { ok: false, reason, detail } };
  }
}

function concat(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array {
  if (!a || !b) return (a ?? b)!;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
