import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContainerLogLine } from './log-line.js';

describe('parseContainerLogLine', () => {
  it('splits the kubelet timestamp from the text, keeping nanoseconds', () => {
    expect(parseContainerLogLine('2026-11-28T15:00:00.123456789Z GET /healthz 200')).toEqual({
      ts: '2026-11-28T15:00:00.123456789Z',
      tsNs: BigInt(Date.parse('2026-11-28T15:00:00Z')) * 1_000_000n + 123_456_789n,
      text: 'GET /healthz 200',
    });
    expect(parseContainerLogLine('2026-11-28T15:00:00Z ')).toMatchObject({ text: '' });
  });

  it('keeps a line without a timestamp whole', () => {
    expect(parseContainerLogLine('plain text line')).toEqual({ text: 'plain text line' });
    expect(parseContainerLogLine('2026-11-28T15:00:00Zjunk rest')).toEqual({ text: '2026-11-28T15:00:00Zjunk rest' });
    expect(parseContainerLogLine('')).toEqual({ text: '' });
  });

  it('never loses text', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const parsed = parseContainerLogLine(line);
        expect(parsed.ts === undefined ? parsed.text : `${parsed.ts} ${parsed.text}`).toBe(parsed.ts !== undefined && !line.includes(' ') ? `${line} ` : line);
      }),
    );
  });
});
