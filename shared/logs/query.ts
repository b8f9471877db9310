/**
 * The FieldKit log query language (documented in docs/INDEX.md): parse a query string into a tree.
 *
 *   parseQuery('level>=warn device:gw-17 "link down" -debounce OR /timeout \\d+ms/ last 15m')
 *
 * Terms side by side must all match (AND); `OR` binds looser than AND; `-term`/`NOT term` negates; parentheses
 * group. A time range (`last 15m`, `since:ISO`, `until:ISO`) applies to the whole query. Throws QuerySyntaxError.
 */
import { LEVELS, type Level } from './record.js';
import { requiredLiterals } from './query-regex.js';
import { tokenize } from './tokens.js';

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  /** Consecutive message tokens (a word or a phrase); with `prefix` the last one only has to begin a token. */
  | { kind: 'text'; tokens: string[]; prefix: boolean }
  /** A label (site, device, source, unit, pod, container) or structured field, compared case-insensitively. */
  | { kind: 'field'; field: string; value: string; prefix: boolean }
  | { kind: 'level'; op: LevelOp; level: Level }
  | { kind: 'regex'; source: string; flags: string; literals: string[] };

export type LevelOp = '=' | '>=' | '>' | '<=' | '<';

export const LABEL_FIELDS = ['site', 'device', 'source', 'unit', 'pod', 'container'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

export interface TimeRange {
  /** Inclusive. */
  fromNs?: bigint;
  /** Exclusive. */
  toNs?: bigint;
}

export interface ParsedQuery {
  root: QueryNode;
  /** Absolute bounds from `since:`/`until:`. */
  range: TimeRange;
  /** From `last 15m`: the range ends now and starts this long before. */
  lastNs?: bigint;
}

export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

const DURATION_NS: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n, w: 604_800_000_000_000n };
const REGEX_FLAGS = /^[imsu]*$/;

interface Lexeme {
  type: 'word' | 'phrase' | 'regex' | 'lparen' | 'rparen';
  text: string;
  flags?: string;
  /** A field prefix glued to a quoted phrase: `unit:"foo bar"`. */
  field?: string;
  negated: boolean;
  position: number;
}

export function parseQuery(input: string): ParsedQuery {
  const lexemes = lex(input);
  const range: TimeRange = {};
  let lastNs: bigint | undefined;
  const kept: Lexeme[] = [];
  for (let i = 0; i < lexemes.length; i++) {
    const lexeme = lexemes[i];
    if (lexeme.type === 'word' && !lexeme.negated && lexeme.text.toLowerCase() === 'last' && lexemes[i + 1]?.type === 'word') {
      const duration = parseDuration(lexemes[i + 1].text);
      if (duration !== undefined) {
        lastNs = duration;
        i++;
        continue;
      }
    }
    const bound = /^(since|until):(.+)$/i.exec(lexeme.type === 'word' ? lexeme.text : '');
    if (bound && !lexeme.negated) {
      const ns = parseInstant(bound[2], lexeme.position);
      if (bound[1].toLowerCase() === 'since') range.fromNs = ns;
      else range.toNs = ns;
      continue;
    }
    kept.push(lexeme);
  }
  const parser = new Parser(kept, input.length);
  const root = parser.parseAll();
  return { root, range, ...(lastNs !== undefined ? { lastNs } : {}) };
}

/** The absolute range a parsed query covers at `nowNs`, narrowed by `extra`. */
export function effectiveRange(query: ParsedQuery, nowNs: bigint, extra: TimeRange = {}): TimeRange {
  let fromNs = query.range.fromNs;
  let toNs = query.range.toNs;
  if (query.lastNs !== undefined) {
    const start = nowNs - query.lastNs;
    fromNs = fromNs === undefined || start > fromNs ? start : fromNs;
  }
  if (extra.fromNs !== undefined && (fromNs === undefined || extra.fromNs > fromNs)) fromNs = extra.fromNs;
  if (extra.toNs !== undefined && (toNs === undefined || extra.toNs < toNs)) toNs = extra.toNs;
  return { ...(fromNs !== undefined ? { fromNs } : {}), ...(toNs !== undefined ? { toNs } : {}) };
}

export function parseDuration(text: string): bigint | undefined {
  const match = /^(\d+)(ms|s|m|h|d|w)$/i.exec(text);
  return match ? BigInt(match[1]) * DURATION_NS[match[2].toLowerCase()] : undefined;
}

/** ISO 8601 (`2026-11-28T10:00:00Z`, date only = midnight UTC) or epoch seconds/ms/ns by magnitude. */
export function parseInstant(text: string, position = 0): bigint {
  if (/^\d+$/.test(text)) {
    const value = BigInt(text);
    if (text.length <= 10) return value * 1_000_000_000n;
    if (text.length <= 13) return value * 1_000_000n;
    return value;
  }
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new QuerySyntaxError(`"${text}" is not a time (use ISO 8601 like 2026-11-28T10:00:00Z or epoch seconds)`, position);
  const subMs = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, '0')) : 0n;
  return BigInt(ms) * 1_000_000n + subMs;
}

function lex(input: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const position = i;
    let negated = false;
    if (ch === '-' && i + 1 < input.length && !/\s/.test(input[i + 1])) {
      negated = true;
      i++;
    }
    const c = input[i];
    if (c === '(' || c === ')') {
      lexemes.push({ type: c === '(' ? 'lparen' : 'rparen', text: c, negated, position });
      i++;
      continue;
    }
    if (c === '"') {
      const { text, end } = readQuoted(input, i);
      lexemes.push({ type: 'phrase', text, negated, position });
      i = end;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      let inClass = false;
      for (; j < input.length; j++) {
        if (input[j] === '\\') j++;
        else if (input[j] === '[') inClass = true;
        else if (input[j] === ']') inClass = false;
        else if (input[j] === '/' && !inClass) break;
      }
      if (j >= input.length) throw new QuerySyntaxError('unterminated /regex/', position);
      let k = j + 1;
      while (k < input.length && /[a-z]/i.test(input[k])) k++;
      lexemes.push({ type: 'regex', text: input.slice(i + 1, j), flags: input.slice(j + 1, k), negated, position });
      i = k;
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]) && input[j] !== '(' && input[j] !== ')' && input[j] !== '"') j++;
    const word = input.slice(i, j);
    if (input[j] === '"' && /^[A-Za-z_][\w.]*:$/.test(word)) {
      const { text, end } = readQuoted(input, j);
      lexemes.push({ type: 'phrase', text, field: word.slice(0, -1), negated, position });
      i = end;
      continue;
    }
    if (word.length === 0) throw new QuerySyntaxError(`unexpected "${input[j]}"`, j);
    lexemes.push({ type: 'word', text: word, negated, position });
    i = j;
  }
  return lexemes;
}

function readQuoted(input: string, open: number): { text: string; end: number } {
  let text = '';
  for (let i = open + 1; i < input.length; i++) {
    if (input[i] === '\\' && i + 1 < input.length) text += input[++i];
    else if (input[i] === '"') return { text, end: i + 1 };
    else text += input[i];
  }
  throw new QuerySyntaxError('unterminated "phrase"', open);
}

class Parser {
  private at = 0;
  constructor(
    private readonly lexemes: Lexeme[],
    private readonly inputLength: number,
  ) {}

  parseAll(): QueryNode {
    if (this.lexemes.length === 0) return { kind: 'all' };
    const node = this.parseOr();
    const rest = this.lexemes[this.at];
    if (rest) throw new QuerySyntaxError(rest.type === 'rparen' ? 'unbalanced ")"' : `unexpected "${rest.text}"`, rest.position);
    return node;
  }

  private parseOr(): QueryNode {
    const children = [this.parseAnd()];
    while (this.isKeyword('OR')) {
      this.at++;
      children.push(this.parseAnd());
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }

  private parseAnd(): QueryNode {
    const children: QueryNode[] = [];
    for (;;) {
      const next = this.lexemes[this.at];
      if (!next || next.type === 'rparen' || this.isKeyword('OR')) break;
      if (this.isKeyword('AND')) {
        this.at++;
        continue;
      }
      children.push(this.parseUnary());
    }
    if (children.length === 0) {
      const next = this.lexemes[this.at];
      throw new QuerySyntaxError('expected a search term', next?.position ?? this.inputLength);
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }

  private parseUnary(): QueryNode {
    if (this.isKeyword('NOT')) {
      this.at++;
      return negate(this.parseUnary());
    }
    const lexeme = this.lexemes[this.at++];
    // only a trailing NOT gets here with nothing left
    if (!lexeme) throw new QuerySyntaxError('expected a search term after NOT', this.inputLength);
    const node = this.parsePrimary(lexeme);
    return lexeme.negated ? negate(node) : node;
  }

  private parsePrimary(lexeme: Lexeme): QueryNode {
    switch (lexeme.type) {
      case 'lparen': {
        const inner = this.parseOr();
        const close = this.lexemes[this.at++];
        if (close?.type !== 'rparen') throw new QuerySyntaxError('missing ")"', lexeme.position);
        return inner;
      }
      case 'rparen':
        throw new QuerySyntaxError('unbalanced ")"', lexeme.position);
      case 'phrase':
        return lexeme.field !== undefined ? fieldNode(lexeme.field, lexeme.text, false, lexeme.position) : textNode(lexeme.text, false);
      case 'regex':
        return regexNode(lexeme);
      case 'word':
        return wordNode(lexeme);
    }
  }

  private isKeyword(word: string): boolean {
    const lexeme = this.lexemes[this.at];
    return lexeme?.type === 'word' && !lexeme.negated && lexeme.text === word;
  }
}

function negate(node: QueryNode): QueryNode {
  return node.kind === 'not' ? node.child : { kind: 'not', child: node };
}

function wordNode(lexeme: Lexeme): QueryNode {
  const comparison = /^level(>=|<=|>|<|=)(.*)$/i.exec(lexeme.text);
  if (comparison) return levelNode(comparison[1] as LevelOp, comparison[2], lexeme.position);
  const field = /^([A-Za-z_][\w.]*):(.+)$/.exec(lexeme.text);
  if (field) {
    const prefix = field[2].endsWith('*') && field[2].length > 1;
    return fieldNode(field[1], prefix ? field[2].slice(0, -1) : field[2], prefix, lexeme.position);
  }
  const prefix = lexeme.text.endsWith('*') && lexeme.text.length > 1;
  return textNode(prefix ? lexeme.text.slice(0, -1) : lexeme.text, prefix);
}

function textNode(text: string, prefix: boolean): QueryNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: 'all' };
  const endsInToken = /[A-Za-z0-9\u0080-\uffff]$/.test(text);
  return { kind: 'text', tokens, prefix: prefix && endsInToken };
}

function fieldNode(field: string, value: string, prefix: boolean, position: number): QueryNode {
  const name = field.toLowerCase();
  if (name === 'level') {
    if (prefix) throw new QuerySyntaxError('level does not take a prefix*', position);
    return levelNode('=', value, position);
  }
  return { kind: 'field', field: (LABEL_FIELDS as readonly string[]).includes(name) ? name : field, value: value.toLowerCase(), prefix };
}

function levelNode(op: LevelOp, value: string, position: number): QueryNode {
  const level = normalizeLevel(value);
  if (!level) throw new QuerySyntaxError(`unknown level "${value}" (use ${LEVELS.join(', ')})`, position);
  return { kind: 'level', op, level };
}

const LEVEL_ALIASES: Record<string, Level> = { warning: 'warn', err: 'error', crit: 'critical', fatal: 'critical', emerg: 'critical', alert: 'critical', dbg: 'debug' };

export function normalizeLevel(value: string): Level | undefined {
  const lower = value.toLowerCase();
  return (LEVELS as readonly string[]).includes(lower) ? (lower as Level) : LEVEL_ALIASES[lower];
}

function regexNode(lexeme: Lexeme): QueryNode {
  const flags = lexeme.flags ?? '';
  if (!REGEX_FLAGS.test(flags)) throw new QuerySyntaxError(`unsupported regex flags "${flags}" (use i, m, s, u)`, lexeme.position);
  try {
    new RegExp(lexeme.text, flags);
  } catch (error) {
    throw new QuerySyntaxError(`invalid regex: ${(error as Error).message}`, lexeme.position);
  }
  return { kind: 'regex', source: lexeme.text, flags, literals: requiredLiterals(lexeme.text) };
}

export function levelMatches(op: LevelOp, actual: Level, wanted: Level): boolean {
  const a = LEVELS.indexOf(actual);
  const w = LEVELS.indexOf(wanted);
  switch (op) {
    case '=':
      return a === w;
    case '>=':
      return a >= w;
    case '>':
      return a > w;
    case '<=':
      return a <= w;
    case '<':
      return a < w;
  }
}
