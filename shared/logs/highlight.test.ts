import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highlight, highlighter } from './highlight.js';

const marked = (message: string, query: string) =>
  highlight(message, highlighter(query))
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join('');

describe('highlighting query matches in a message', () => {
  it('marks words case-insensitively, phrases across punctuation, and prefixes', () => {
    expect(marked('Link DOWN on eth0, link down again', 'link')).toBe('[Link] DOWN on eth0, [link] down again');
    expect(marked('link: down on eth0', '"link down"')).toBe('[link: down] on eth0');
    expect(marked('timeout after 30s, timed out', 'tim*')).toBe('[timeout] after 30s, [timed] out');
    expect(marked('took 1500ms', '/\\d+ms/')).toBe('took [1500ms]');
  });

  it('leaves out excluded terms, fields and levels', () => {
    expect(marked('debounce ok', '-debounce device:gw-17 level>=warn')).toBe('debounce ok');
  });

  it('never loses or reorders text, whatever the query', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (message, query) => {
        expect(
          highlight(message, highlighter(query))
            .map((s) => s.text)
            .join(''),
        ).toBe(message);
      }),
    );
  });
});
