import { describe, expect, it } from 'vitest';
import { logFixture as fixture } from '../../../test/fixtures/logs/read-fixture.js';
import { detectFormat } from './detect.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('format detection', () => {
  it('recognises every sample', () => {
    expect(detectFormat('a', fixture('logfile_journald.json'))).toBe('journald-json');
    expect(detectFormat('a', fixture('logfile_journald.export'))).toBe('journald-export');
    expect(detectFormat('a', fixture('logfile_syslog.3'))).toBe('syslog');
    expect(detectFormat('a', fixture('logfile_syslog_with_mixed_times.0'))).toBe('syslog');
    expect(detectFormat('a', fixture('bundle/var/log/remote/rfc5424.log'))).toBe('syslog');
    expect(detectFormat('a', fixture('logfile_json_invalid.json'))).toBe('json');
    expect(detectFormat('a', fixture('logfile_docker_compose.0'))).toBe('compose');
    expect(detectFormat('a', fixture('logfile_generic.0'))).toBe('plain');
    expect(detectFormat('a', fixture('bundle/var/lib/rancher/k3s/agent/k3s.log'))).toBe('klog');
    expect(detectFormat('a', text('2026-11-28T10:00:00.1Z stdout F hi\n'))).toBe('cri');
    expect(detectFormat('a', text('{"log":"hi\\n","stream":"stdout","time":"2026-11-28T10:00:00Z"}\n'))).toBe('docker-json');
  });

  it('tells serial captures by name or bare CR line ends, plain text otherwise', () => {
    expect(detectFormat('console.serial', text('hello\n'))).toBe('serial');
    expect(detectFormat('cap', text('a\rb\rc\r'))).toBe('serial');
    expect(detectFormat('notes.txt', text('just some words\nmore words\n'))).toBe('plain');
    expect(detectFormat('empty', new Uint8Array(0))).toBe('plain');
  });
});
