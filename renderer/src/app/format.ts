const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> "1.5 KB": decimal-free for bytes, one decimal above. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A duration as `42 s`, `3 min 5 s` or `2 h 10 min`; parts of a second round up (an ETA never says 0 s too early). */
export function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The message of an error followed by its hint (what to do about it), when it has one. */
export function withHint(error: unknown): string {
  const hint = (error as { hint?: unknown } | null)?.hint;
  return typeof hint === 'string' && hint ? `${messageOf(error)} ${hint}` : messageOf(error);
}
