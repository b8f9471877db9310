import type { ParsedEntry } from './entry.js';
import { levelFromSeverity } from './levels.js';
import { epochToNs } from './timestamps.js';

/** Bookkeeping and noisy trusted fields that do not help a search; everything else stays as a field. */
const DROPPED_FIELDS = new Set([
  '__CURSOR', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '__SEQNUM', '__SEQNUM_ID', 'MESSAGE', 'PRIORITY',
  '_SYSTEMD_UNIT', '_CAP_EFFECTIVE', '_STREAM_ID', '_SYSTEMD_INVOCATION_ID', '_MACHINE_ID', '_SYSTEMD_CGROUP',
  '_SYSTEMD_SLICE', '_SOURCE_MONOTONIC_TIMESTAMP', 'SYSLOG_TIMESTAMP', '_SYSTEMD_OWNER_UID', '_AUDIT_SESSION', '_AUDIT_LOGINUID',
]);

/** One journal entry (field name -> text value) as a ParsedEntry; shared by the JSON and the export readers. */
export function journalEntry(values: ReadonlyMap<string, string>): ParsedEntry {
  const fields: Record<string, string> = {};
  for (const [name, value] of values) if (!DROPPED_FIELDS.has(name)) fields[name] = value;
  const realtime = values.get('__REALTIME_TIMESTAMP') ?? values.get('_SOURCE_REALTIME_TIMESTAMP');
  const tsNs = realtime !== undefined && /^\d+$/.test(realtime) ? BigInt(realtime) * 1000n : undefined;
  const priority = values.get('PRIORITY');
  return {
    tsNs: tsNs ?? (realtime === undefined ? undefined : epochToNs(realtime)),
    level: priority === undefined ? undefined : levelFromSeverity(Number(priority)),
    message: values.get('MESSAGE') ?? '',
    unit: values.get('_SYSTEMD_UNIT') ?? values.get('SYSLOG_IDENTIFIER') ?? values.get('_COMM'),
    fields,
  };
}
