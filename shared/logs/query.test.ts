import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseQuery, QuerySyntaxError, effectiveRange } from './query.js';
import { requiredLiterals } from './query-regex.js';
import { tokenize, containsTokens } from './tokens.js';

describe('parseQuery', () => {
  it('parses every form of the language', () => {
    expect(parseQuery('').root).toEqual({ kind: 'all' });
    expect(parseQuery('Timeout').root).toEqual({ kind: 'text', tokens: ['timeout'], prefix: false });
    expect(parseQuery('"Link is DOWN"').root).toEqual({ kind: 'text', tokens: ['link', 'is', 'down'], prefix: false });
    expect(parseQuery('10.0.0.7').root).toEqual({ kind: 'text', tokens: ['10', '0', '0', '7'], prefix: false });
    expect(parseQuery('conn*').root).toEqual({ kind: 'text', tokens: ['conn'], prefix: true });
    expect(parseQuery('device:GW-17').root).toEqual({ kind: 'field', field: 'device', value: 'gw-17', prefix: false });
    expect(parseQuery('unit:"my unit"').root).toEqual({ kind: 'field', field: 'unit', value: 'my unit', prefix: false });
    expect(parseQuery('unit:k3s*').root).toEqual({ kind: 'field', field: 'unit', value: 'k3s', prefix: true });
    expect(parseQuery('sensorId:T1').root).toEqual({ kind: 'field', field: 'sensorId', value: 't1', prefix: false });
    expect(parseQuery('level>=warning').root).toEqual({ kind: 'level', op: '>=', level: 'warn' });
    expect(parseQuery('level:err').root).toEqual({ kind: 'level', op: '=', level: 'error' });
    expect(parseQuery('-debug').root).toEqual({ kind: 'not', child: { kind: 'text', tokens: ['debug'], prefix: false } });
    expect(parseQuery('NOT NOT a').root).toEqual({ kind: 'text', tokens: ['a'], prefix: false });
    expect(parseQuery('/time(d )?out \\d+ms/i').root).toEqual({ kind: 'regex', source: 'time(d )?out \\d+ms', flags: 'i', literals: ['time', 'out ', 'ms'] });
    expect(parseQuery('a b OR c').root).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [{ kind: 'text', tokens: ['a'], prefix: false }, { kind: 'text', tokens: ['b'], prefix: false }] }, { kind: 'text', tokens: ['c'], prefix: false }],
    });
    expect(parseQuery('a (b OR c)').root.kind).toBe('and');
  });

  it('takes time ranges out of the tree', () => {
    const parsed = parseQuery('error last 15m since:2026-11-28T10:00:00Z until:1795863600');
    expect(parsed.root).toEqual({ kind: 'text', tokens: ['error'], prefix: false });
    expect(parsed.lastNs).toBe(15n * 60n * 1_000_000_000n);
    expect(parsed.range).toEqual({ fromNs: 1_795_860_000_000_000_000n, toNs: 1_795_863_600_000_000_000n });
    const now = 1_764_325_000_000_000_000n;
    expect(effectiveRange(parseQuery('last 1h'), now, { toNs: now - 5n })).toEqual({ fromNs: now - 3_600_000_000_000n, toNs: now - 5n });
  });

  it('reports mistakes with their position', () => {
    const cases: Array<[string, RegExp, number]> = [
      ['error "unterminated', /unterminated "phrase"/, 6],
      ['a /b', /unterminated \/regex\//, 2],
      ['(a', /missing "\)"/, 0],
      ['a)', /unbalanced/, 1],
      ['level>=loud', /unknown level "loud"/, 0],
      ['/a(/', /invalid regex/, 0],
      ['/a/g', /unsupported regex flags/, 0],
      ['a OR', /expected a search term/, 4],
      ['NOT', /expected a search term after NOT/, 3],
      ['a NOT', /expected a search term after NOT/, 5],
      ['since:yesterday', /is not a time/, 0],
    ];
    for (const [query, message, position] of cases) {
      try {
        parseQuery(query);
        expect.unreachable(query);
      } catch (error) {
        expect(error, query).toBeInstanceOf(QuerySyntaxError);
        expect((error as QuerySyntaxError).message, query).toMatch(message);
        expect((error as QuerySyntaxError).position, query).toBe(position);
      }
    }
  });

  it('either parses or throws QuerySyntaxError for any input (property)', () => {
    // single characters, and the keywords and forms whole (spelt out letter by letter they almost never occur)
    const alphabet = fc.constantFrom(...'ab -"()/*:<>=\\é'.split(''), ' OR ', ' NOT ', ' AND ', 'NOT', 'level', 'last 5m', 'since:2026', 'device:');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), (input) => {
        try {
          parseQuery(input);
        } catch (error) {
          expect(error).toBeInstanceOf(QuerySyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('requiredLiterals', () => {
  it('finds the literal runs every match contains', () => {
    expect(requiredLiterals('connection reset by peer [0-9.]+:\\d+')).toEqual(['connection reset by peer ', ':']);
    expect(requiredLiterals('ab?c')).toEqual(['a', 'c']);
    expect(requiredLiterals('a{2,3}b\\x41c\\u0041d\\.e')).toEqual(['b', 'c', 'd.e']);
    expect(requiredLiterals('x+y')).toEqual(['x', 'y']);
    expect(requiredLiterals('foo|bar')).toEqual([]);
    expect(requiredLiterals('(foo|bar) baz')).toEqual([' baz']);
  });

  it('returns only strings that every match contains (property)', () => {
    type Part = { source: string; sample: fc.Arbitrary<string> };
    const word = fc.constantFrom('ab', 'reset', 'by', 'x.y', 'q');
    const part: fc.Arbitrary<Part> = fc.oneof(
      word.map((w) => ({ source: w.replace('.', '\\.'), sample: fc.constant(w) })),
      fc.constant({ source: '.*', sample: fc.string({ maxLength: 3 }) }),
      fc.constant({ source: '\\d+', sample: fc.integer({ min: 0, max: 999 }).map(String) }),
      fc.constant({ source: '(x|yz)', sample: fc.constantFrom('x', 'yz') }),
      fc.constant({ source: '[a-c]?', sample: fc.constantFrom('', 'a', 'c') }),
      fc.constant({ source: 'k?', sample: fc.constantFrom('', 'k') }),
      fc.constant({ source: 'm{0,2}', sample: fc.constantFrom('', 'm', 'mm') }),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }).chain((parts) => fc.tuple(fc.constant(parts.map((p) => p.source).join('')), fc.tuple(...parts.map((p) => p.sample)).map((s) => s.join('')))),
        ([source, sample]) => {
          expect(new RegExp(source).test(sample)).toBe(true);
          for (const literal of requiredLiterals(source)) expect(sample, `${source} / ${literal}`).toContain(literal);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('tokens', () => {
  it('splits on anything but letters and digits, lowercased', () => {
    expect(tokenize('eth0: Link is DOWN (carrier=0) Grüße_x')).toEqual(['eth0', 'link', 'is', 'down', 'carrier', '0', 'grüße', 'x']);
    expect(containsTokens('a link-is down', 0, 14, ['link', 'is', 'down'], false)).toBe(true);
    expect(containsTokens('unlink is down', 0, 14, ['link', 'is'], false)).toBe(false);
    expect(containsTokens('connecting', 0, 10, ['conn'], true)).toBe(true);
  });
});
