import { describe, expect, it } from 'vitest';
import { parseBytes } from './parse-bytes.js';
import { serialLineRecord } from './serial-record.js';
import { SerialLineSplitter, type SerialLine } from './serial-splitter.js';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function split(chunks: string[], maxLineBytes = 1024): SerialLine[] {
  const lines: SerialLine[] = [];
  const splitter = new SerialLineSplitter(maxLineBytes, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(encode(chunk));
  splitter.end();
  return lines;
}

describe('serial line splitter', () => {
  it('splits on CR, LF and CR LF, also when CR and LF arrive in different chunks', () => {
    const lines = split(['U-Boot 2024.01\r', '\nDRAM:  512 MiB\rprogress 10%\rprogress 100%\n\x1b[1;32mOK\x1b[0m\r\n', 'login: ']);
    expect(lines.map((line) => [line.text, line.terminator])).toEqual([
      ['U-Boot 2024.01', 'crlf'],
      ['DRAM:  512 MiB', 'cr'],
      ['progress 10%', 'cr'],
      ['progress 100%', 'lf'],
      ['OK', 'crlf'],
      ['login: ', 'none'],
    ]);
    expect(decode(lines[4]!.raw)).toBe('\x1b[1;32mOK\x1b[0m\r\n');
  });

  it('strips escape sequences and control characters from the text only', () => {
    const [line] = split(['\x1b]0;title\x07\x1b[2J\x1b[Hroot@gw:~# ls\x08\x08\x07\n']);
    expect(line!.text).toBe('root@gw:~# ls');
    expect(decode(line!.raw)).toBe('\x1b]0;title\x07\x1b[2J\x1b[Hroot@gw:~# ls\x08\x08\x07\n');
  });

  it('splits an over-long line into pieces instead of dropping bytes', () => {
    const lines = split(['x'.repeat(25), 'y\n'], 10);
    expect(lines.map((line) => [line.text, line.split])).toEqual([['xxxxxxxxxx', true], ['xxxxxxxxxx', true], ['xxxxxy', false]]);
  });

  it('imports a capture file: serial source, timestamps where the console printed them', () => {
    const { records, stats } = parseBytes('gw-17.serial', '[2026-11-28 10:00:00] boot\r\n\x1b[31mERROR\x1b[0m: mmc0: timeout\r\n\r\n', { ingestTimeNs: 3n });
    expect(stats).toMatchObject({ format: 'serial', lines: 3, records: 2, blankLines: 1, crlf: 3 });
    expect(records.map((record) => [record.labels.source, record.message, record.level])).toEqual([
      ['serial', 'boot', 'info'],
      ['serial', 'ERROR: mmc0: timeout', 'error'],
    ]);
    expect(records[1]!.tsNs).toBe(records[0]!.tsNs);
  });

  it('hands every raw line to onSerialLine for replay', () => {
    const raw: string[] = [];
    parseBytes('x.serial', 'a\rb\n', { onSerialLine: (line) => raw.push(decode(line.raw)) });
    expect(raw).toEqual(['a\r', 'b\n']);
  });
});

describe('live serial records', () => {
  it('stamp console lines with the arrival time and skip blank ones', () => {
    const [line, blank] = split(['\x1b[31mERROR\x1b[0m: eth0 down\r\n\r\n']);
    expect(serialLineRecord(line!, 9n, { device: 'usb-FTDI-A50285BI' })).toEqual({ tsNs: 9n, labels: { device: 'usb-FTDI-A50285BI', source: 'serial' }, level: 'error', message: 'ERROR: eth0 down' });
    expect(serialLineRecord(blank!, 9n, { device: 'x' })).toBeUndefined();
  });
});
