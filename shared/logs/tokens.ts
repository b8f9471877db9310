/**
 * How message text splits into searchable words. One definition shared by the index, its filters and the query
 * matcher: a token is a maximal run of ASCII letters/digits or any non-ASCII character; everything else separates.
 * Matching is on lowercased text, so words are case-insensitive.
 */

export function isTokenCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code >= 128;
}

/**
 * The lowercased tokens of `text`, in order. With `bounded`, only those with a separator on both sides inside
 * `text`: whole words of any text that contains `text` (a regex literal's words).
 */
export function tokenize(text: string, bounded = false): string[] {
  const lower = text.toLowerCase();
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const inside = i < lower.length && isTokenCode(lower.charCodeAt(i));
    if (inside && start < 0) start = i;
    else if (!inside && start >= 0) {
      if (!bounded || (start > 0 && i < lower.length)) tokens.push(lower.slice(start, i));
      start = -1;
    }
  }
  return tokens;
}

/**
 * Whether the token sequence `tokens` (already lowercase, each a single token) occurs in `lower[start, end)`
 * as consecutive tokens; with `prefix` the last one only has to begin a token.
 */
export function containsTokens(lower: string, start: number, end: number, tokens: readonly string[], prefix: boolean): boolean {
  const first = tokens[0];
  let at = lower.indexOf(first, start);
  while (at >= 0 && at + first.length <= end) {
    if (tokensAt(lower, at, start, end, tokens, prefix)) return true;
    at = lower.indexOf(first, at + 1);
  }
  return false;
}

/** Whether the sequence starts exactly at `at` (a token boundary) and stays inside `[start, end)`. */
export function tokensAt(lower: string, at: number, start: number, end: number, tokens: readonly string[], prefix: boolean): boolean {
  if (at > start && isTokenCode(lower.charCodeAt(at - 1))) return false;
  let pos = at;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (pos + token.length > end || !lower.startsWith(token, pos)) return false;
    pos += token.length;
    const last = t === tokens.length - 1;
    if (last && prefix) return true;
    if (pos < end && isTokenCode(lower.charCodeAt(pos))) return false;
    if (last) return true;
    while (pos < end && !isTokenCode(lower.charCodeAt(pos))) pos++;
  }
  return true;
}
