import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format.js';

describe('formatBytes', () => {
  it('keeps small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });
  it('switches unit at each 1024', () => {
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});

describe('formatDuration', () => {
  it('rounds parts of a second up, so an ETA never reads 0 s early', () => {
    expect(formatDuration(0.3)).toBe('1 s');
    expect(formatDuration(42)).toBe('42 s');
  });
  it('carries a full minute or hour instead of printing 60 of the smaller unit', () => {
    expect(formatDuration(119.6)).toBe('2 min 0 s');
    expect(formatDuration(65)).toBe('1 min 5 s');
    expect(formatDuration(7199.9)).toBe('2 h 0 min');
    expect(formatDuration(7800)).toBe('2 h 10 min');
  });
});
