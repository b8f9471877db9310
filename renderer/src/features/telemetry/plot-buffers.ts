import type { SeriesSamples } from '../../../../shared/contract/telemetry.js';
import { SeriesRing } from './plot-data.js';

/** Samples held in the window for plotting, per series; outside React, so 10 Hz data never re-renders components. */
export class PlotBuffers {
  readonly rings = new Map<string, SeriesRing>();
  /** When (wall clock, ms) the last sample of each series arrived here: what staleness is judged by. */
  readonly receivedAt = new Map<string, number>();
  /** Bumped on every change; the plot redraws when it moved. */
  version = 0;

  ring(id: string): SeriesRing {
    let ring = this.rings.get(id);
    if (!ring) this.rings.set(id, (ring = new SeriesRing()));
    return ring;
  }

  add(batch: readonly SeriesSamples[], now = Date.now()): void {
    for (const { id, ts, values } of batch) {
      const ring = this.ring(id);
      for (let i = 0; i < ts.length; i++) ring.push(ts[i]!, values[i] ?? NaN);
      if (ts.length > 0) this.receivedAt.set(id, now);
    }
    this.version++;
  }

  /** History before the live samples: raw samples complete from `exactFrom` on, or (without it) a downsampled selection. */
  seed(id: string, ts: readonly number[], values: readonly (number | null)[], exactFrom?: number): void {
    this.ring(id).prepend(ts, values.map((v) => v ?? NaN), exactFrom);
    this.version++;
  }

  /** Forgets everything (a gap in the live stream would otherwise pass for complete data). */
  clear(): void {
    this.rings.clear();
    this.receivedAt.clear();
    this.version++;
  }

  /** The newest sample time among these series, or -Infinity. */
  newest(ids: readonly string[]): number {
    let t = -Infinity;
    for (const id of ids) t = Math.max(t, this.rings.get(id)?.lastTs ?? -Infinity);
    return t;
  }

  /** Whether every one of these series holds all its raw samples from `from` on. */
  exactFrom(ids: readonly string[], from: number): boolean {
    return ids.every((id) => from >= (this.rings.get(id)?.exactFrom ?? Infinity));
  }
}
