import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../shared/logs/record.js';
import { agentJournalSink, journalSince } from './journal.js';

describe('agent journal sink', () => {
  it('labels records as the node k3s-agent and blanks the token in messages and fields', async () => {
    const stored: LogRecord[] = [];
    const lines: string[] = [];
    const sink = agentJournalSink(
      { append: async (r) => void stored.push(...r) },
      { device: 'gw-7', secrets: () => ['K10aa::server:s3cret', 's3cret'], onLine: (l) => lines.push(l) },
    );
    await sink.append([
      {
        tsNs: 1n,
        labels: { device: 'ignored', source: 'journald', unit: 'k3s-agent.service' },
        level: 'info',
        message: 'using token K10aa::server:s3cret',
        fields: { _CMDLINE: '/usr/local/bin/k3s agent --token s3cret' },
      },
    ]);
    expect(stored).toEqual([
      {
        tsNs: 1n,
        labels: { device: 'gw-7', source: 'journald', unit: 'k3s-agent' },
        level: 'info',
        message: 'using token [redacted]',
        fields: { _CMDLINE: '/usr/local/bin/k3s agent --token [redacted]' },
      },
    ]);
    expect(lines).toEqual(['using token [redacted]']);
  });
});

describe('journalSince', () => {
  it('keeps the microseconds GNU date prints, and falls back to whole seconds where date has no %N', () => {
    expect(journalSince('1764400000.012345\n')).toBe('@1764400000.012345');
    expect(journalSince('1764400000.%6N\n')).toBe('@1764400000');
    expect(journalSince('1764400000.6N')).toBe('@1764400000');
    expect(journalSince('1764400000')).toBe('@1764400000');
  });
});
