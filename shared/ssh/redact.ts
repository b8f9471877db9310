export const REDACTED = '[redacted]';

/** Replaces every occurrence of every secret. Longer secrets first so one secret inside another is fully hidden. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const sorted = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return sorted.reduce((acc, secret) => acc.split(secret).join(REDACTED), text);
}
