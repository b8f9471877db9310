import { describe, expect, it } from 'vitest';
import { logFixture as fixture } from '../../../test/fixtures/logs/read-fixture.js';
import { parseBytes } from './parse-bytes.js';
import { nsToIso } from './timestamps.js';


describe('journalctl -o json (lnav sample)', () => {
  it('reads realtime timestamp, priority, unit and fields', () => {
    const { records, stats } = parseBytes('logfile_journald.json', fixture('logfile_journald.json'));
    expect(stats).toMatchObject({ format: 'journald-json', records: 2 });
    expect(records.map((record) => record.level)).toEqual(['critical', 'info']);
    expect(records[0]).toMatchObject({
      labels: { source: 'journald', unit: 'medusa-GpsLocator.service' },
      message: 'GPS Reference longitude: 7.358143333',
      fields: { _HOSTNAME: 'imx6ul-medusa', _PID: '184', SYSLOG_IDENTIFIER: 'python' },
    });
    expect(nsToIso(records[0]!.tsNs)).toBe('2018-08-21T14:04:21.221373000Z');
    expect(records[0]!.fields!.__CURSOR).toBeUndefined();
  });

  it('decodes byte-array values', () => {
    const { records } = parseBytes('j', '{"__REALTIME_TIMESTAMP":"1534860261221373","MESSAGE":[104,105,255],"PRIORITY":"4"}\n');
    expect(records[0]).toMatchObject({ message: 'hi\uFFFD', level: 'warn' });
  });
});

describe('journalctl -o export', () => {
  const bytes = fixture('logfile_journald.export');

  it('reads text and binary fields, whatever the chunking', () => {
    for (const chunkSize of [1, 7, 8, 9, 64, 100000]) {
      const { records, stats } = parseBytes('logfile_journald.export', bytes, { chunkSize });
      expect(stats).toMatchObject({ format: 'journald-export', records: 3, invalidUtf8: 1, unparsed: 0 });
      expect(records.map((record) => record.level)).toEqual(['critical', 'info', 'error']);
      expect(records[1]).toMatchObject({ labels: { source: 'journald', unit: 'medusa-GpsLocator.service' }, message: 'GPS Reference latitude: 46.908706667' });
      expect(records[2]).toMatchObject({ labels: { unit: 'kernel' }, message: 'first line\nsecond line \uFFFD\uFFFD end' });
      expect(nsToIso(records[2]!.tsNs)).toBe('2018-08-21T14:04:22.000001000Z');
    }
  });

  it('truncates a huge binary value and keeps reading', () => {
    const header = new TextEncoder().encode('__REALTIME_TIMESTAMP=1534860261221373\nMESSAGE\n');
    const length = new Uint8Array(8);
    new DataView(length.buffer).setBigUint64(0, 100000n, true);
    const tail = new TextEncoder().encode('\n\n__REALTIME_TIMESTAMP=1534860261221374\nMESSAGE=next\n\n');
    const input = new Uint8Array([...header, ...length, ...new Uint8Array(100000).fill(120), ...tail]);
    const { records, stats } = parseBytes('big.export', input, { maxLineBytes: 1000, format: 'journald-export' });
    expect(stats).toMatchObject({ records: 2, truncated: 1 });
    expect(records[0]!.message).toBe(`${'x'.repeat(1000)} …[truncated 99000 bytes]`);
    expect(records[0]!.fields!.truncated_bytes).toBe('99000');
    expect(records[1]!.message).toBe('next');
  });
});
