/** Friendly names for common USB-serial chips, from the USB vendor/product id pair. */

export type ChipFamily = 'FTDI' | 'CP210x' | 'CH340' | 'PL2303' | 'CDC-ACM';

interface ChipEntry {
  family: ChipFamily;
  vendorId: string;
  /** Product ids with specific names; any other product of the vendor gets `fallback`. */
  products: Record<string, string>;
  fallback: string;
}

const CHIPS: readonly ChipEntry[] = [
  {
    family: 'FTDI', vendorId: '0403', fallback: 'FTDI USB-serial',
    products: { '6001': 'FTDI FT232R', '6010': 'FTDI FT2232', '6011': 'FTDI FT4232H', '6014': 'FTDI FT232H', '6015': 'FTDI FT-X (FT230X/FT231X)' },
  },
  {
    family: 'CP210x', vendorId: '10c4', fallback: 'Silicon Labs USB-serial',
    products: { ea60: 'Silicon Labs CP210x', ea70: 'Silicon Labs CP2105', ea71: 'Silicon Labs CP2108' },
  },
  {
    family: 'CH340', vendorId: '1a86', fallback: 'WCH USB-serial',
    products: { '7523': 'WCH CH340', '5523': 'WCH CH341', '7522': 'WCH CH340K', '55d4': 'WCH CH9102', '55d3': 'WCH CH343' },
  },
  {
    family: 'PL2303', vendorId: '067b', fallback: 'Prolific USB-serial',
    products: { '2303': 'Prolific PL2303', '23a3': 'Prolific PL2303GC', '23c3': 'Prolific PL2303GT', '23d3': 'Prolific PL2303GL' },
  },
];

export interface ChipName {
  family: ChipFamily | null;
  name: string;
}

const normId = (id: string | undefined) => (id ?? '').toLowerCase().replace(/^0x/, '').padStart(4, '0');

/**
 * Names a port. `cdcAcm` marks a port the OS drives as CDC-ACM (e.g. /dev/ttyACM*), which many boards and
 * modems expose under their own vendor id.
 */
export function chipName(vendorId: string | undefined, productId: string | undefined, opts: { manufacturer?: string | undefined; cdcAcm?: boolean } = {}): ChipName {
  const vid = normId(vendorId);
  const pid = normId(productId);
  const chip = CHIPS.find((c) => c.vendorId === vid);
  if (chip) return { family: chip.family, name: chip.products[pid] ?? chip.fallback };
  if (opts.cdcAcm) return { family: 'CDC-ACM', name: opts.manufacturer ? `${opts.manufacturer} (CDC-ACM)` : 'USB CDC-ACM device' };
  if (vendorId) return { family: null, name: opts.manufacturer ? `${opts.manufacturer} USB-serial` : `USB-serial ${vid}:${pid}` };
  return { family: null, name: opts.manufacturer ?? 'Serial port' };
}

/** The adapter identity used for reconnect and as the log `device` label: serial number, else path. */
export function adapterIdentity(port: { path: string; serialNumber?: string | undefined; vendorId?: string | undefined; productId?: string | undefined }): string {
  if (port.serialNumber) return `usb-${normId(port.vendorId)}-${normId(port.productId)}-${port.serialNumber}`;
  return port.path;
}
