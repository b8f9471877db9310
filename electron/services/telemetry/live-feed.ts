/** A sample sink in front of the store that also tells listeners about the samples it stored, for live plots. */
import { seriesId, type Sample } from '../../../shared/telemetry/series.js';
import type { AppendResult, TelemetryStore } from './store.js';
import type { SampleSink } from './sink.js';

export interface LiveSample {
  id: string;
  ts: number;
  value: number;
}
export type LiveListener = (samples: readonly LiveSample[]) => void;

export class LiveFeed implements SampleSink {
  private readonly listeners = new Set<LiveListener>();
  /** Last stored time per series, to announce exactly what the store keeps (it refuses older samples). */
  private readonly lastTs: Map<string, number>;

  constructor(private readonly store: TelemetryStore) {
    this.lastTs = new Map(store.latest().map((l) => [l.id, l.ts]));
  }

  /** Announces the samples once durable; the WAL's group commit resolves appends in order, so time order holds. */
  async append(samples: readonly Sample[]): Promise<AppendResult> {
    const kept = this.keep(samples);
    const result = await this.store.append(samples);
    if (kept.length > 0) for (const listener of this.listeners) listener(kept);
    return result;
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private keep(samples: readonly Sample[]): LiveSample[] {
    const kept: LiveSample[] = [];
    for (const s of samples) {
      const id = seriesId(s.key);
      if (!Number.isSafeInteger(s.ts) || s.ts < (this.lastTs.get(id) ?? -Infinity)) continue;
      this.lastTs.set(id, s.ts);
      kept.push({ id, ts: s.ts, value: s.value });
    }
    return kept;
  }
}
