import { describe, it, expect } from 'vitest';
import { PortWatcher, type PortDescriptor, describePort, listPorts } from './ports.js';

const port = (path: string, serialNumber?: string): PortDescriptor => ({
  path, name: 'FTDI FT232R', family: 'FTDI', identity: serialNumber ? `usb-0403-6001-${serialNumber}` : path, ...(serialNumber ? { serialNumber } : {}),
});

describe('PortWatcher', () => {
  it('never starts polling when stopped while its first listing is still running', async () => {
    let listings = 0;
    const w = new PortWatcher(5, async () => {
      listings++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [];
    });
    const started = w.start();
    w.stop();
    await started;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(listings).toBe(1);
  });

  it('reports adapters that appear and disappear, and a replug on a new path as remove + add', async () => {
    let now = [port('/dev/ttyUSB0', 'A1')];
    const w = new PortWatcher(60_000, async () => now);
    const events: string[] = [];
    w.on('added', (p) => events.push(`+${p.path}`));
    w.on('removed', (p) => events.push(`-${p.path}`));
    expect(await w.start()).toHaveLength(1);
    now = [port('/dev/ttyUSB0', 'A1'), port('/dev/ttyACM0')];
    await w.poll();
    now = [port('/dev/ttyUSB1', 'A1')];
    await w.poll();
    w.stop();
    expect(events).toEqual(['+/dev/ttyACM0', '-/dev/ttyUSB0', '-/dev/ttyACM0', '+/dev/ttyUSB1']);
    expect(w.current().map((p) => p.path)).toEqual(['/dev/ttyUSB1']);
  });
});

describe('listPorts / describePort on this machine', () => {
  it('lists what the OS enumerates, each with a name and identity', async () => {
    for (const p of await listPorts()) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.identity).toBe(p.serialNumber ? expect.stringContaining(p.serialNumber) : p.path);
    }
  });

  it('refuses a missing path with a one-line reason', async () => {
    await expect(describePort('/dev/ttyDOESNOTEXIST9')).rejects.toThrow('no such port: /dev/ttyDOESNOTEXIST9');
  });
});
