import { redactSecrets } from '../../ssh/redact.js';

/** Blanks every secret in every string of a value (events, errors) before anyone sees it. Keys are left alone. */
export function blankDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => blankDeep(v, secrets)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blankDeep(v, secrets)])) as T;
  return value;
}
