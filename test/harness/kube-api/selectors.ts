/** Equality- and set-based label selectors and the field selectors the API server supports, as predicates. */
import { badRequest } from './status.js';
import type { KubeObject } from './types.js';

export type Predicate = (obj: KubeObject) => boolean;

const always: Predicate = () => true;

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter(Boolean);
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checked(term: string, key: string, values: string[]): void {
  if (!LABEL_KEY.test(key) || key.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${term}"`);
  for (const v of values) if (!LABEL_VALUE.test(v) || v.length > 63) throw badRequest(`unable to parse requirement: invalid label value: "${v}" in "${term}"`);
}

function labelTerm(term: string): Predicate {
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    checked(term, key, [...values]);
    return (o) => {
      const v = o.metadata.labels?.[key];
      return op === 'in' ? v !== undefined && values.has(v) : v === undefined || !values.has(v);
    };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eq) {
    const [, key, op, value] = eq;
    checked(term, key, [value]);
    return (o) => (o.metadata.labels?.[key] === value) === (op !== '!=');
  }
  if (/^![^=!\s]+$/.test(term)) return (o) => o.metadata.labels?.[term.slice(1)] === undefined;
  if (/^[^=!\s]+$/.test(term)) return (o) => o.metadata.labels?.[term] !== undefined;
  throw badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
}

export function labelSelector(selector: string | null | undefined): Predicate {
  if (!selector) return always;
  const terms = splitTerms(selector).map(labelTerm);
  return (o) => terms.every((t) => t(o));
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function fieldSelector(selector: string | null | undefined): Predicate {
  if (!selector) return always;
  const terms = splitTerms(selector).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid field selector: '${term}'`);
    const [, path, op, value] = m;
    return (o: KubeObject) => (fieldValue(o, path) === value) === (op !== '!=');
  });
  return (o) => terms.every((t) => t(o));
}
