import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../../electron/services/index/import/index.js';
import { nsToIso } from '../../../shared/logs/parsers/index.js';
import { MemorySink } from '../../harness/memory-sink.js';

const fixtures = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));

/**
 * Expected values read off the files by hand and cross-checked with
 * `lnav -n -c ';SELECT log_line, log_time, log_level FROM all_logs' FILE` where lnav has a format for the file
 * (lnav 0.11.1 infers years against today; here the reference time is fixed at 2026-11-28).
 * Deviations from lnav: lnav calls syslog lines containing "failed" errors; FieldKit only takes levels a line states.
 */
const EXPECTED: Record<string, { format: string; lines: number; records: number; first: string; last: string; levels: Record<string, number>; missingTs?: number; outOfOrder?: number }> = {
  'logfile_syslog.0': { format: 'syslog', lines: 4, records: 4, first: '2026-11-03T09:23:38', last: '2026-11-03T09:47:02', levels: { info: 4 } },
  'logfile_syslog.1': { format: 'syslog', lines: 4, records: 4, first: '2025-12-03T09:23:38', last: '2026-01-03T09:47:02', levels: { info: 4 } },
  'logfile_syslog.3': { format: 'syslog', lines: 17, records: 7, first: '2026-08-16T00:10:45', last: '2026-08-16T00:32:15', levels: { info: 7 } },
  'logfile_syslog_with_mixed_times.0': { format: 'syslog', lines: 13, records: 13, first: '2026-09-13T00:58:45', last: '2026-09-13T03:46:03', levels: { info: 13 }, outOfOrder: 2 },
  'logfile_journald.json': { format: 'journald-json', lines: 2, records: 2, first: '2018-08-21T14:04:21', last: '2018-08-21T14:04:21', levels: { critical: 1, info: 1 } },
  'logfile_journald.export': { format: 'journald-export', lines: 3, records: 3, first: '2018-08-21T14:04:21', last: '2018-08-21T14:04:22', levels: { critical: 1, info: 1, error: 1 } },
  'logfile_json.json': { format: 'json', lines: 14, records: 14, first: '2013-09-06T20:00:48', last: '2013-09-06T22:01:49', levels: { trace: 1, info: 3, debug: 6, warn: 1, error: 1, critical: 2 }, missingTs: 1 },
  'logfile_json_invalid.json': { format: 'json', lines: 13, records: 13, first: '2013-09-06T20:00:48', last: '2013-09-06T22:01:49', levels: { trace: 1, info: 3, debug: 5, warn: 1, error: 1, critical: 2 }, missingTs: 1 },
  'logfile_generic.0': { format: 'plain', lines: 2, records: 2, first: '2012-07-02T10:22:40', last: '2014-10-08T16:56:38', levels: { debug: 1, warn: 1 } },
  'logfile_generic_nanos.0': { format: 'plain', lines: 2, records: 2, first: '2025-01-01T00:00:00', last: '2025-01-01T01:00:00', levels: { info: 1, warn: 1 } },
  'logfile_docker_compose.0': { format: 'compose', lines: 22, records: 22, first: '2026-11-28T12:00:00', last: '2026-11-28T12:00:00', levels: { info: 20, warn: 2 }, missingTs: 22 },
  'logfile_docker_compose_with_ts.0': { format: 'compose', lines: 22, records: 22, first: '2024-04-25T05:32:35', last: '2024-04-25T05:54:43', levels: { info: 20, warn: 2 } },
};

describe('lnav samples import with the right timestamps, levels and line counts', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const sink = new MemorySink();
      const report = await importPaths([`${fixtures}${name}`], sink, { referenceTimeMs: Date.UTC(2026, 10, 28, 12) });
      const [file] = report.files;
      expect(report.files).toHaveLength(1);
      expect(file).toMatchObject({ format: expected.format, lines: expected.lines, records: expected.records, missingTs: expected.missingTs ?? 0, outOfOrder: expected.outOfOrder ?? 0, device: name });
      expect(sink.durable).toHaveLength(expected.records);
      const times = sink.durable.filter((record) => record.fields?.ts_flag !== 'missing').map((record) => nsToIso(record.tsNs).slice(0, 19));
      if (times.length > 0) expect([times[0], times.at(-1)]).toEqual([expected.first, expected.last]);
      const levels: Record<string, number> = {};
      for (const record of sink.durable) levels[record.level] = (levels[record.level] ?? 0) + 1;
      expect(levels).toEqual(expected.levels);
    });
  }
});
