/** Serial port discovery: listing with friendly names, hot-plug watching, and adapter lookup for reconnect. */
import { EventEmitter } from 'node:events';
import { realpath, access, constants } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { adapterIdentity, chipName, type ChipFamily } from '../../../shared/serial/usb-names.js';

export interface PortDescriptor {
  path: string;
  /** Friendly chip / device name, e.g. `FTDI FT232R`. */
  name: string;
  family: ChipFamily | null;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** Serial number based when the adapter has one, else the path; stable across replug. */
  identity: string;
}

export async function listPorts(): Promise<PortDescriptor[]> {
  const raw = await SerialPort.list();
  return raw.map((p) => {
    const cdcAcm = /ttyACM\d+$/.test(p.path) || /usb-?modem/i.test(p.path);
    const chip = chipName(p.vendorId, p.productId, { manufacturer: p.manufacturer, cdcAcm });
    return {
      path: p.path,
      name: chip.name,
      family: chip.family,
      ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
      ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
      ...(p.vendorId ? { vendorId: p.vendorId.toLowerCase() } : {}),
      ...(p.productId ? { productId: p.productId.toLowerCase() } : {}),
      identity: adapterIdentity(p),
    };
  });
}

/**
 * Describes any openable path: a listed port, or a path the OS does not enumerate (pty, symlink such as
 * /dev/serial/by-id/..., socat link), which then gets the path as identity.
 */
export async function describePort(path: string): Promise<PortDescriptor> {
  const real = await realpath(path).catch(() => {
    throw new Error(`no such port: ${path}`);
  });
  await access(real, constants.R_OK | constants.W_OK).catch(() => {
    throw new Error(`port not accessible (permission denied): ${path}`);
  });
  const listed = (await listPorts().catch(() => [])).find((p) => p.path === path || p.path === real);
  return listed ? { ...listed, path } : { path, name: real.startsWith('/dev/pts/') ? 'Pseudo-terminal' : 'Serial port', family: null, identity: path };
}

/** Where the adapter with this identity is now, or null while it is absent. */
export async function locateAdapter(port: PortDescriptor): Promise<string | null> {
  if (port.serialNumber) return (await listPorts().catch(() => [])).find((p) => p.identity === port.identity)?.path ?? null;
  return access(port.path, constants.R_OK | constants.W_OK).then(() => port.path, () => null);
}

export interface PortWatcherEvents {
  added: [PortDescriptor];
  removed: [PortDescriptor];
  error: [Error];
}

/** Hot-plug detection by polling the port list and diffing on identity + path. */
export class PortWatcher extends EventEmitter<PortWatcherEvents> {
  private known = new Map<string, PortDescriptor>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;

  constructor(private readonly intervalMs = 500, private readonly lister: () => Promise<PortDescriptor[]> = listPorts) {
    super();
  }

  /** Takes the first snapshot (no events for ports already present) and starts polling. */
  async start(): Promise<PortDescriptor[]> {
    this.stopped = false;
    const first = await this.lister();
    this.known = new Map(first.map((p) => [key(p), p]));
    // A stop() that came while the first listing was running wins: never start polling after it.
    if (this.stopped) return first;
    this.running = true;
    this.schedule();
    return first;
  }

  stop(): void {
    this.stopped = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  current(): PortDescriptor[] {
    return [...this.known.values()];
  }

  /** One poll; exposed so callers (and tests) can force a refresh. */
  async poll(): Promise<void> {
    const now = new Map((await this.lister()).map((p) => [key(p), p]));
    const before = this.known;
    this.known = now;
    for (const [k, p] of before) if (!now.has(k)) this.emit('removed', p);
    for (const [k, p] of now) if (!before.has(k)) this.emit('added', p);
  }

  private schedule() {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.poll()
        .catch((err: Error) => this.emit('error', err))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }
}

const key = (p: PortDescriptor) => `${p.identity}\0${p.path}`;
