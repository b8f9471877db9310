/**
 * Literal text a regular expression requires: every match of the regex contains each returned string.
 * Used to skip blocks whose word filter lacks the words inside those literals and to pre-check block bytes
 * before running the regex row by row. Conservative: when unsure it returns fewer literals, never wrong ones.
 */
export function requiredLiterals(source: string): string[] {
  if (hasTopLevelAlternation(source)) return [];
  const literals: string[] = [];
  let current = '';
  const cut = () => {
    if (current.length > 0) literals.push(current);
    current = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    const next = source[i + 1];
    const quantified = next === '?' || next === '*' || next === '{';
    if (ch === '\\') {
      const escaped = source[i + 1] ?? '';
      i = skipEscapeBody(source, i + 1);
      const literal = /^[^a-zA-Z0-9]$/.test(escaped) ? escaped : null;
      const afterEscape = source[i + 1];
      if (literal === null || afterEscape === '?' || afterEscape === '*' || afterEscape === '{') {
        cut();
        continue;
      }
      current += literal;
      if (afterEscape === '+') cut();
      continue;
    }
    if (ch === '(' || ch === '[') {
      cut();
      i = skipGroup(source, i) - 1;
      continue;
    }
    if (ch === '{') {
      cut();
      i = Math.max(i, source.indexOf('}', i));
      continue;
    }
    if ('.^$|)]}+*?'.includes(ch)) {
      cut();
      continue;
    }
    if (quantified) {
      cut();
      continue;
    }
    current += ch;
    if (next === '+') cut();
  }
  cut();
  return literals;
}

/** Index of the last character of the escape whose letter sits at `at` (`\\x41`, `\\u{1F600}`, `\\p{L}`, `\\k<n>`, `\\12`). */
function skipEscapeBody(source: string, at: number): number {
  const letter = source[at];
  const braced = () => (source[at + 1] === '{' ? Math.max(at, source.indexOf('}', at)) : at);
  if (letter === 'x') return at + 2;
  if (letter === 'u') return source[at + 1] === '{' ? braced() : at + 4;
  if (letter === 'p' || letter === 'P') return braced();
  if (letter === 'c') return at + 1;
  if (letter === 'k' && source[at + 1] === '<') return Math.max(at, source.indexOf('>', at));
  let end = at;
  if (/[0-9]/.test(letter ?? '')) while (/[0-9]/.test(source[end + 1] ?? '')) end++;
  return end;
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

/** Index just past the group or class opening at `start`, including a quantifier after it. */
function skipGroup(source: string, start: number): number {
  let depth = 0;
  let inClass = false;
  let i = start;
  for (; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false;
        if (depth === 0) break;
      }
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) break;
  }
  return i + 1;
}
