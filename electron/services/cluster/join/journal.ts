import type { LogRecord, LogSink } from '../../../../shared/logs/record.js';
import { redactSecrets } from '../../../../shared/ssh/redact.js';
import { collectJournal } from '../../ssh/log-collector.js';
import type { RemoteShell } from './remote.js';

export const AGENT_UNIT = 'k3s-agent';

export interface JournalFollow {
  /** Resolves when following stopped (after `stop`), never rejects. */
  stopped: Promise<void>;
  stop(): void;
}

/** Labels agent journal records as the node's `k3s-agent` unit and blanks secrets before they are indexed or shown. */
export function agentJournalSink(sink: LogSink, opts: { device: string; secrets: () => Iterable<string>; onLine(line: string): void }): LogSink {
  const blank = (text: string) => redactSecrets(text, opts.secrets());
  return {
    append(records) {
      const clean: LogRecord[] = records.map((r) => ({
        ...r,
        labels: { ...r.labels, device: opts.device, unit: AGENT_UNIT },
        message: blank(r.message),
        ...(r.fields ? { fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, blank(v)])) } : {}),
      }));
      for (const r of clean) opts.onLine(r.message);
      return sink.append(clean);
    },
  };
}

/** Prints the gateway's clock to the microsecond (GNU date), for journalSince. */
export const GATEWAY_CLOCK_COMMAND = 'date +%s.%6N';

/**
 * journalctl's `--since` for what GATEWAY_CLOCK_COMMAND printed: `@seconds.microseconds`, or whole seconds where date
 * has no %N (BusyBox). To the second, the rejection the join before logged in the same second was read as this one's.
 */
export function journalSince(clock: string): string {
  const printed = clock.trim();
  return `@${/^\d+\.\d{6}$/.test(printed) ? printed : printed.split('.')[0]}`;
}

/**
 * Follows `journalctl -u k3s-agent` from `since` (journalctl syntax, gateway clock) into the log index (source
 * journald, unit k3s-agent, device = the node) and hands each line, secrets blanked, to `onLine`.
 */
export function followAgentJournal(
  shell: RemoteShell,
  sink: LogSink,
  opts: { device: string; since: string; secrets: () => Iterable<string>; onLine(line: string): void },
): JournalFollow {
  const abort = new AbortController();
  const cleaning = agentJournalSink(sink, opts);
  const stopped = collectJournal(shell.session, cleaning, {
    labels: { device: opts.device },
    units: [AGENT_UNIT],
    since: opts.since,
    follow: true,
    journalctl: shell.root ? 'journalctl' : 'sudo -n journalctl',
    signal: abort.signal,
  }).then(
    () => undefined,
    () => undefined,
  );
  return { stopped, stop: () => abort.abort() };
}
