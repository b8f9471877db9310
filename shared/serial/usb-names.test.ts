import { describe, it, expect } from 'vitest';
import { chipName, adapterIdentity } from './usb-names.js';

describe('chipName', () => {
  it('names the common chips from vendor/product ids in any case or notation', () => {
    expect(chipName('0403', '6001')).toEqual({ family: 'FTDI', name: 'FTDI FT232R' });
    expect(chipName('10C4', 'EA60')).toEqual({ family: 'CP210x', name: 'Silicon Labs CP210x' });
    expect(chipName('0x1a86', '0x7523')).toEqual({ family: 'CH340', name: 'WCH CH340' });
    expect(chipName('67b', '2303')).toEqual({ family: 'PL2303', name: 'Prolific PL2303' });
    expect(chipName('0403', 'ffff').name).toBe('FTDI USB-serial');
  });

  it('recognises CDC-ACM and falls back to the manufacturer or ids', () => {
    expect(chipName('2e8a', '000a', { cdcAcm: true, manufacturer: 'Raspberry Pi' })).toEqual({ family: 'CDC-ACM', name: 'Raspberry Pi (CDC-ACM)' });
    expect(chipName('1234', '5678')).toEqual({ family: null, name: 'USB-serial 1234:5678' });
    expect(chipName(undefined, undefined)).toEqual({ family: null, name: 'Serial port' });
  });
});

describe('adapterIdentity', () => {
  it('prefers the serial number and falls back to the path', () => {
    expect(adapterIdentity({ path: '/dev/ttyUSB0', serialNumber: 'A50285BI', vendorId: '0403', productId: '6001' })).toBe('usb-0403-6001-A50285BI');
    expect(adapterIdentity({ path: '/tmp/x/a' })).toBe('/tmp/x/a');
  });
});
