/** Evaluates a query tree against one record: the index's live tail and unsealed records use it. */
import type { LogRecord } from './record.js';
import { levelMatches, type QueryNode, type TimeRange } from './query.js';
import { containsTokens } from './tokens.js';

export interface MatchableRecord {
  record: LogRecord;
  /** `record.message.toLowerCase()`, computed once. */
  lower: string;
}

export function inRange(tsNs: bigint, range: TimeRange): boolean {
  return (range.fromNs === undefined || tsNs >= range.fromNs) && (range.toNs === undefined || tsNs < range.toNs);
}

export function fieldValue(record: LogRecord, field: string): string | undefined {
  if (field === 'level') return record.level;
  const label = (record.labels as unknown as Record<string, string | undefined>)[field];
  return label ?? record.fields?.[field];
}

export function valueMatches(actual: string | undefined, wanted: string, prefix: boolean): boolean {
  if (actual === undefined) return false;
  const lower = actual.toLowerCase();
  return prefix ? lower.startsWith(wanted) : lower === wanted;
}

const regexCache = new Map<string, RegExp>();

export function compiledRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let regex = regexCache.get(key);
  if (!regex) {
    regex = new RegExp(source, flags.replace('g', ''));
    if (regexCache.size > 256) regexCache.clear();
    regexCache.set(key, regex);
  }
  return regex;
}

export function matchesRecord(node: QueryNode, item: MatchableRecord): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return node.children.every((child) => matchesRecord(child, item));
    case 'or':
      return node.children.some((child) => matchesRecord(child, item));
    case 'not':
      return !matchesRecord(node.child, item);
    case 'text':
      return containsTokens(item.lower, 0, item.lower.length, node.tokens, node.prefix);
    case 'field':
      return valueMatches(fieldValue(item.record, node.field), node.value, node.prefix);
    case 'level':
      return levelMatches(node.op, item.record.level, node.level);
    case 'regex':
      return compiledRegex(node.source, node.flags).test(item.record.message);
  }
}
