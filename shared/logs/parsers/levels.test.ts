import { describe, expect, it } from 'vitest';
import { detectLevel, levelFromName, levelFromNumber, levelFromSeverity } from './levels.js';

describe('levels', () => {
  it('maps syslog severities, names and numbers', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromSeverity)).toEqual(['critical', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug']);
    expect(['TRACE', 'DEBUG5', 'Info', 'NOTICE', 'WARNING', 'err', 'CRITICAL', 'FATAL', 'panic', 'E', 'STATS'].map(levelFromName)).toEqual(['trace', 'debug', 'info', 'notice', 'warn', 'error', 'critical', 'critical', 'critical', 'error', undefined]);
    expect([10, 20, 30, 40, 50, 60, 3].map(levelFromNumber)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'critical', 'error']);
  });

  it('finds a level stated in free text, and nothing else', () => {
    expect(detectLevel(':DEBUG:foo bar')).toBe('debug');
    expect(detectLevel('[WARN] disk almost full')).toBe('warn');
    expect(detectLevel('msg="x" level=error')).toBe('error');
    expect(detectLevel('1:C 25 Apr 2024 05:32:35.018 # Warning: no config file specified')).toBe('warn');
    expect(detectLevel('Error: Address in use')).toBe('error');
    expect(detectLevel('lookup(file): lookup for foobar failed')).toBeUndefined();
    expect(detectLevel('ERRORS_TOTAL=0 information')).toBeUndefined();
  });
});
