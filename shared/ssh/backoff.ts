export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Returns a value in [0, 1); injected so tests are deterministic. */
  random: () => number;
}

/** Exponential backoff with "equal jitter": half the window fixed, half random, capped at maxMs. */
export function backoffDelayMs(attempt: number, { baseMs, maxMs, random }: BackoffOptions): number {
  const window = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(window / 2 + (window / 2) * random());
}
