import { STAT_COUNTERS, emptyStats, type FileStats } from '../../../../shared/logs/parsers/index.js';

/** One imported file, or one entry of a bundle (`bundle.tar.gz!var/log/syslog`). */
export interface FileReport extends FileStats {
  path: string;
  device: string;
  /** Why reading stopped early (unreadable file, corrupt archive); what was read before is imported. */
  error?: string;
}

export type ImportTotals = Record<(typeof STAT_COUNTERS)[number], number> & { files: number; skipped: number; errors: number };

export interface ImportReport {
  files: FileReport[];
  totals: ImportTotals;
  /** The import stopped at the AbortSignal; everything counted here was appended to the sink. */
  cancelled: boolean;
  durationMs: number;
}

export function fileReport(path: string, device: string, stats: FileStats = emptyStats()): FileReport {
  return { ...stats, path, device };
}

export function totalsOf(files: readonly FileReport[]): ImportTotals {
  const totals = { files: files.length, skipped: 0, errors: 0 } as ImportTotals;
  for (const counter of STAT_COUNTERS) totals[counter] = 0;
  for (const file of files) {
    for (const counter of STAT_COUNTERS) totals[counter] += file[counter];
    if (file.skipped) totals.skipped++;
    if (file.error) totals.errors++;
  }
  return totals;
}
