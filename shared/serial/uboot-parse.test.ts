import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { findAutobootCountdown, endsWithPrompt, parseCrc32Output, parseLoadTotal, parseVersion, commandOutput, parseAddress } from './uboot-parse.js';

describe('U-Boot output parsing', () => {
  it('spots the countdown banner', () => {
    expect(findAutobootCountdown('\r\nHit any key to stop autoboot:  2 ')).toEqual({ secondsLeft: 2 });
    expect(findAutobootCountdown('Press SPACE to abort autoboot in 3 seconds')).toEqual({ secondsLeft: 3 });
    expect(findAutobootCountdown('Starting kernel ...')).toBeNull();
  });

  it('sees the prompt only at the start of a line', () => {
    expect(endsWithPrompt('version\r\n=> ')).toBe(true);
    expect(endsWithPrompt('=> ')).toBe(true);
    expect(endsWithPrompt('a => ')).toBe(false);
    expect(endsWithPrompt('\nU-Boot> ', 'U-Boot> ')).toBe(true);
  });

  it('reads crc32, load size and version lines', () => {
    expect(parseCrc32Output('crc32 40200000 400\r\ncrc32 for 40200000 ... 402003ff ==> 1b6d2c1a\r\n=> ')).toBe(0x1b6d2c1a);
    expect(parseCrc32Output('Usage:\ncrc32 ...')).toBeNull();
    expect(parseLoadTotal('## Total Size      = 0x00000401 = 1025 Bytes\r\n')).toBe(1025);
    expect(parseVersion('version\r\n\r\nU-Boot 2024.01+dfsg-5 (Apr 04 2024)\r\n\r\naarch64-linux-gnu-gcc')).toBe('U-Boot 2024.01+dfsg-5 (Apr 04 2024)');
    expect(commandOutput('=> version\r\nU-Boot 1\r\nld 2\r\n=> ', 'version')).toBe('U-Boot 1\nld 2');
  });

  it('round-trips any crc32 value and parses addresses', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), (crc) => {
        expect(parseCrc32Output(`crc32 for 40200000 ... 40200000 ==> ${crc.toString(16).padStart(8, '0')}`)).toBe(crc);
      }),
    );
    expect(parseAddress('0x40200000')).toBe(0x40200000);
    expect(parseAddress('1024')).toBe(1024);
    expect(parseAddress('0xZZ')).toBeNull();
  });
});
