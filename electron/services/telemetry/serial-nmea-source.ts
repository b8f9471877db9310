/** Live NMEA 0183 from an open serial session: tapped bytes split into lines, decoded, stored as samples stamped on arrival. */
import { NmeaStreamDecoder } from '../../../shared/telemetry/nmea-stream.js';
import type { Sample } from '../../../shared/telemetry/series.js';
import type { SampleSink } from './sink.js';

/** The part of a serial session this source needs. */
export interface ByteTap {
  tap(listener: (bytes: Uint8Array) => void): () => void;
}

export interface SerialNmeaStats {
  /** Valid sentences. */
  messages: number;
  samples: number;
  /** Sentences with a bad checksum or malformed (they stay in the session's log lines), and dropped overlong runs. */
  badPayloads: number;
}

/** NMEA sentences are at most 82 characters; a longer run without a newline is not NMEA and is dropped. */
const MAX_LINE = 1024;

export class SerialNmeaSource {
  readonly stats: SerialNmeaStats = { messages: 0, samples: 0, badPayloads: 0 };
  private readonly decoder: NmeaStreamDecoder;
  private readonly text = new TextDecoder('latin1');
  private partial = '';
  private untap?: () => void;

  constructor(
    private readonly serial: ByteTap,
    device: string,
    private readonly sink: SampleSink,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.decoder = new NmeaStreamDecoder(device);
  }

  start(): void {
    this.untap ??= this.serial.tap((bytes) => this.receive(bytes));
  }

  stop(): void {
    this.untap?.();
    this.untap = undefined;
  }

  private receive(bytes: Uint8Array): void {
    const arrival = Date.now();
    const lines = (this.partial + this.text.decode(bytes)).split('\n');
    this.partial = lines.pop()!;
    if (this.partial.length > MAX_LINE) {
      this.partial = '';
      this.stats.badPayloads++;
    }
    const samples: Sample[] = [];
    for (const line of lines) {
      const result = this.decoder.push(line, arrival);
      if (result.kind === 'bad') this.stats.badPayloads++;
      if (result.kind !== 'message') continue;
      this.stats.messages++;
      // Arrival time, not the receiver's clock: it never runs backwards and lines up with the other live sources.
      for (const s of result.samples) samples.push({ ...s, ts: arrival });
    }
    if (samples.length === 0) return;
    this.stats.samples += samples.length;
    this.sink.append(samples).catch((error: Error) => this.onError(error));
  }
}
