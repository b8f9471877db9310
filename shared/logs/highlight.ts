import { parseQuery, type QueryNode } from './query.js';

export interface Segment {
  text: string;
  match: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function positivePatterns(node: QueryNode, out: string[]): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      node.children.forEach((child) => positivePatterns(child, out));
      break;
    case 'text':
      out.push(node.tokens.map(escape).join('[^\\p{L}\\p{N}]+') + (node.prefix ? '[\\p{L}\\p{N}_]*' : ''));
      break;
    case 'regex':
      out.push(`(?:${node.source})`);
      break;
  }
  return out;
}

/** One pattern for the words, phrases, prefixes and regexes a query looks for (not those it excludes); null if none. */
export function highlighter(query: string): RegExp | null {
  let patterns: string[];
  try {
    patterns = positivePatterns(parseQuery(query).root, []);
  } catch {
    return null;
  }
  if (patterns.length === 0) return null;
  try {
    return new RegExp(patterns.join('|'), 'giu');
  } catch {
    return null;
  }
}

/** Splits a message into plain and matching runs for display. */
export function highlight(message: string, pattern: RegExp | null): Segment[] {
  if (!pattern) return [{ text: message, match: false }];
  const segments: Segment[] = [];
  let at = 0;
  for (const found of message.matchAll(pattern)) {
    if (found[0].length === 0) continue;
    if (found.index > at) segments.push({ text: message.slice(at, found.index), match: false });
    segments.push({ text: found[0], match: true });
    at = found.index + found[0].length;
  }
  if (at < message.length || segments.length === 0) segments.push({ text: message.slice(at), match: false });
  return segments;
}
