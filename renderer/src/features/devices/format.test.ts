import { describe, expect, it } from 'vitest';
import { describeTransfer, destination, deviceQuery } from './format.js';

describe('devices formatting', () => {
  it('quotes device names the log query language would split', () => {
    expect(deviceQuery('gw-17')).toBe('device:gw-17');
    expect(deviceQuery('plant 3 "north"')).toBe('device:"plant 3 \\"north\\""');
  });

  it('leaves the default port out of a destination', () => {
    expect(destination({ user: 'root', host: 'gw-17', port: 22 })).toBe('root@gw-17');
    expect(destination({ user: 'root', host: '10.0.0.5', port: 2222 })).toBe('root@10.0.0.5:2222');
  });

  it('describes a transfer with speed and time left, or that the estimate is pending', () => {
    expect(describeTransfer({ bytesDone: 1024 * 1024, bytesTotal: 4 * 1024 * 1024, bytesPerSecond: 512 * 1024, etaSeconds: 6 })).toBe('1.0 MB of 4.0 MB · 512.0 KB/s · 6 s left');
    expect(describeTransfer({ bytesDone: 0, bytesTotal: 10, bytesPerSecond: 0, etaSeconds: null })).toBe('0 B of 10 B · 0 B/s · estimating…');
  });
});
