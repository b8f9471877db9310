export interface ImportProgress {
  /** Input bytes read from disk (compressed bytes for bundles). */
  bytesDone: number;
  bytesTotal: number;
  lines: number;
  records: number;
  linesPerSec: number;
  /** Seconds left at the current byte rate; null until there is a rate. */
  etaSec: number | null;
  /** The file or bundle entry being read. */
  path: string;
}

const INTERVAL_MS = 200;

export class ProgressTracker {
  bytesDone = 0;
  lines = 0;
  records = 0;
  path = '';
  private readonly startedMs = performance.now();
  private lastEmitMs = -Infinity;

  constructor(
    readonly bytesTotal: number,
    private readonly onProgress: ((progress: ImportProgress) => void) | undefined,
  ) {}

  tick(force = false): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastEmitMs < INTERVAL_MS) return;
    this.lastEmitMs = now;
    const seconds = (now - this.startedMs) / 1000;
    const byteRate = seconds > 0 ? this.bytesDone / seconds : 0;
    this.onProgress({
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      lines: this.lines,
      records: this.records,
      linesPerSec: seconds > 0 ? this.lines / seconds : 0,
      etaSec: byteRate > 0 ? Math.max(0, (this.bytesTotal - this.bytesDone) / byteRate) : null,
      path: this.path,
    });
  }
}
