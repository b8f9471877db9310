import { describe, expect, it } from 'vitest';
import { logFixture as fixture } from '../../../test/fixtures/logs/read-fixture.js';
import { parseBytes } from './parse-bytes.js';
import { nsToIso } from './timestamps.js';


describe('JSON lines (lnav samples)', () => {
  it('takes ts/level/msg keys, flattens the rest into fields', () => {
    const { records, stats } = parseBytes('logfile_json.json', fixture('logfile_json.json'));
    expect(stats).toMatchObject({ format: 'json', lines: 14, records: 14, missingTs: 1, unparsed: 0 });
    expect(records.map((record) => record.level)).toEqual(['trace', 'info', 'info', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'info', 'warn', 'error', 'critical', 'critical']);
    expect(records[1]).toMatchObject({ message: 'Starting up service', fields: { logger: 'com.example.demoµs' } });
    expect(records[5]).toMatchObject({ message: 'bad ts...', fields: { ts: 'xxx', ts_flag: 'missing' } });
    expect(records[5]!.tsNs).toBe(records[4]!.tsNs);
    expect(nsToIso(records[8]!.tsNs)).toBe('2013-09-06T22:01:00.000000000Z');
    expect(records[13]!.fields).toMatchObject({ 'obj.field1': 'hi', 'obj.field2': '2', arr: '["hi",{"sub1":true}]' });
    expect(records[12]!.fields!['extra-multi']).toBe('a\nb\nc\nd\n');
  });

  it('imports a broken line as text, counted, without losing the rest', () => {
    const { records, stats } = parseBytes('logfile_json_invalid.json', fixture('logfile_json_invalid.json'));
    expect(stats).toMatchObject({ format: 'json', lines: 13, records: 13, unparsed: 1, missingTs: 1 });
    expect(records[4]!.message).toBe('{"ts": "2013-09-06T22:00:59.124817Z", "lvl": "DEBUG4", "msg": "D\\bDe\\betails...\\n');
    expect(records[4]!.fields!.ts_flag).toBe('missing');
  });
});

describe('K3s logs: klog and logrus lines', () => {
  it('reads level letters, caller, inferred year, logrus pairs and stack continuation', () => {
    const { records, stats } = parseBytes('k3s.log', fixture('bundle/var/lib/rancher/k3s/agent/k3s.log'));
    expect(stats).toMatchObject({ format: 'klog', lines: 8, records: 6, unparsed: 0 });
    expect(records.map((record) => record.level)).toEqual(['info', 'warn', 'info', 'warn', 'error', 'critical']);
    expect(records.every((record) => record.labels.source === 'k3s')).toBe(true);
    expect(records[0]).toMatchObject({ message: 'Starting k3s agent v1.31.4+k3s1 (a562d090)' });
    expect(nsToIso(records[0]!.tsNs)).toBe('2026-11-28T10:00:00.123456789Z');
    expect(records[2]).toMatchObject({ message: '"Kubelet version" kubeletVersion="v1.31.4+k3s1"', fields: { pid: '1234', caller: 'server.go:487' } });
    expect(nsToIso(records[2]!.tsNs)).toBe('2026-11-28T10:00:01.234567000Z');
    expect(records[4]!.message).toContain('\ngoroutine 1 [running]:\n\tk8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run(0xc000a2e000)');
  });

  it('infers the year across New Year', () => {
    const { records } = parseBytes('k', 'I1231 23:59:59.999999 1 a.go:1] old\nI0101 00:00:00.000001 1 a.go:2] new\n');
    expect(records.map((record) => nsToIso(record.tsNs))).toEqual(['2025-12-31T23:59:59.999999000Z', '2026-01-01T00:00:00.000001000Z']);
  });
});

describe('plain text (lnav samples)', () => {
  it('finds the timestamp and level; imports a last line without newline', () => {
    const generic = parseBytes('logfile_generic.0', fixture('logfile_generic.0'));
    expect(generic.stats).toMatchObject({ format: 'plain', records: 2, noFinalNewline: 1 });
    expect(generic.records.map((record) => [nsToIso(record.tsNs), record.level, record.message])).toEqual([
      ['2012-07-02T10:22:40.672000000Z', 'debug', 'DEBUG:foo bar baz'],
      ['2014-10-08T16:56:38.344000000Z', 'warn', 'WARN:foo bar baz'],
    ]);
    const nanos = parseBytes('logfile_generic_nanos.0', fixture('logfile_generic_nanos.0'));
    expect(nanos.records.map((record) => [nsToIso(record.tsNs), record.level])).toEqual([
      ['2025-01-01T00:00:00.123456789Z', 'info'],
      ['2025-01-01T01:00:00.987654321Z', 'warn'],
    ]);
    expect(nanos.records[0]!.labels.source).toBe('file');
  });
});
