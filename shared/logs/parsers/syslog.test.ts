import { describe, expect, it } from 'vitest';
import { logFixture as fixture } from '../../../test/fixtures/logs/read-fixture.js';
import { parseBytes } from './parse-bytes.js';
import { nsToIso } from './timestamps.js';

const times = (records: { tsNs: bigint }[]) => records.map((record) => nsToIso(record.tsNs).slice(0, 19));

describe('RFC 3164 syslog (lnav samples)', () => {
  it('reads host, tag, pid and message; infers the year from the reference time', () => {
    const { records, stats } = parseBytes('logfile_syslog.0', fixture('logfile_syslog.0'));
    expect(stats.format).toBe('syslog');
    expect(times(records)).toEqual(['2026-11-03T09:23:38', '2026-11-03T09:23:38', '2026-11-03T09:23:38', '2026-11-03T09:47:02']);
    expect(records[0]).toMatchObject({ labels: { source: 'syslog', unit: 'automount', device: 'test' }, level: 'info', message: 'lookup(file): lookup for foobar failed', fields: { host: 'veridian', pid: '7998' } });
    expect(records[3]).toMatchObject({ labels: { unit: 'sudo' }, message: 'timstack : TTY=pts/6 ; PWD=/auto/wstimstack/rpms/lbuild/test ; USER=root ; COMMAND=/usr/bin/tail /var/log/messages' });
  });

  it('rolls December over into January of the next year', () => {
    const { records } = parseBytes('logfile_syslog.1', fixture('logfile_syslog.1'));
    expect(times(records)).toEqual(['2025-12-03T09:23:38', '2025-12-03T09:23:38', '2025-12-03T09:23:38', '2026-01-03T09:47:02']);
  });

  it('joins indented continuation lines into the entry they follow', () => {
    const { records, stats } = parseBytes('logfile_syslog.3', fixture('logfile_syslog.3'));
    expect(stats).toMatchObject({ lines: 17, records: 7, unparsed: 0 });
    expect(records[2]!.message).toBe('Configuration Notice:\n\tASL Module "com.apple.cdscheduler" claims selected messages.\n\tThose messages may not appear in standard system log files or in the ASL database.');
  });

  it('keeps time moving forward: out-of-order lines take the previous time and are flagged', () => {
    const { records, stats } = parseBytes('mixed', fixture('logfile_syslog_with_mixed_times.0'));
    expect(stats).toMatchObject({ records: 13, outOfOrder: 2 });
    expect(records[5]).toMatchObject({ fields: { ts_flag: 'out_of_order', ts_orig: '2026-09-13T01:25:39.000000000Z' } });
    expect(nsToIso(records[5]!.tsNs)).toBe('2026-09-13T03:12:04.000000000Z');
    expect(records[1]).toMatchObject({ labels: { unit: 'airportd' }, fields: { host: 'Tim-Stacks-iMac.local', pid: '59' } });
  });

  it('reads the high-precision form rsyslog writes (RFC 3339 time, then host and tag)', () => {
    const { records, stats } = parseBytes('messages', '2026-11-28T10:00:00.123456+01:00 gw-17 dnsmasq[512]: query[A] mqtt.local from 10.0.0.5\n');
    expect(stats.format).toBe('syslog');
    expect(records[0]).toMatchObject({ labels: { unit: 'dnsmasq' }, message: 'query[A] mqtt.local from 10.0.0.5', fields: { host: 'gw-17', pid: '512' } });
    expect(nsToIso(records[0]!.tsNs)).toBe('2026-11-28T09:00:00.123456000Z');
  });

  it('maps PRI severity onto levels and accepts host-less lines', () => {
    const { records } = parseBytes('s', '<34>Oct 11 22:14:15 mymachine su: \'su root\' failed\n<15>Nov 28 10:00:00 myapp[12]: hi\n<11>Nov 28 10:00:00 gw kernel: oops\n');
    expect(records.map((record) => record.level)).toEqual(['critical', 'debug', 'error']);
    expect(records[1]).toMatchObject({ labels: { unit: 'myapp' }, message: 'hi', fields: { pid: '12' } });
    expect(records[1]!.fields!.host).toBeUndefined();
  });
});

describe('RFC 5424 syslog', () => {
  it('reads the RFC examples: zones, nil values, structured data, BOM', () => {
    const { records, stats } = parseBytes('rfc5424.log', fixture('bundle/var/log/remote/rfc5424.log'));
    expect(stats).toMatchObject({ format: 'syslog', records: 3, outOfOrder: 0, unparsed: 0 });
    expect(nsToIso(records[0]!.tsNs)).toBe('2003-08-24T12:14:15.000003000Z');
    expect(records[0]).toMatchObject({ level: 'notice', labels: { unit: 'myproc' }, message: "%% It's time to make the do-nuts.", fields: { host: '192.0.2.1', pid: '8710' } });
    expect(records[1]!.fields).toMatchObject({ 'exampleSDID@32473.iut': '3', 'exampleSDID@32473.eventID': '1011', 'examplePriority@32473.class': 'high', msgid: 'ID47' });
    expect(records[1]!.message).toBe('An application event log entry');
    expect(records[2]).toMatchObject({ level: 'critical', labels: { unit: 'su' }, message: "'su root' failed for lonvick on /dev/pts/8" });
    const bom = parseBytes('b', '<165>1 2003-10-11T22:14:15.003Z host app - - [id k="a \\"q\\" \\]"] \uFEFFhello\n').records[0]!;
    expect(bom).toMatchObject({ message: 'hello', fields: { 'id.k': 'a "q" ]' } });
  });
});
