/** Modbus RTU poller: one serial line, several devices, each register on its own interval; errors counted per device. */
import ModbusSerial from 'modbus-serial';
import { decodeRegisters, planReads, registerCount, validateRegisterMap, type RegisterEntry } from '../../../shared/telemetry/modbus-map.js';
import type { Sample } from '../../../shared/telemetry/series.js';
import type { SampleSink } from './sink.js';

export interface ModbusDeviceConfig {
  /** Series device name. */
  name: string;
  unitId: number;
  registers: RegisterEntry[];
}

export interface ModbusLineConfig {
  path: string;
  baudRate: number;
  parity?: 'none' | 'even' | 'odd';
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
  timeoutMs?: number;
  /** Series sensor name; default `modbus`. */
  sensor?: string;
  devices: ModbusDeviceConfig[];
}

export interface ModbusDeviceStats {
  reads: number;
  ok: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  otherErrors: number;
  lastError?: string;
}

interface Scheduled {
  device: ModbusDeviceConfig;
  entry: RegisterEntry;
  due: number;
}

export class ModbusPoller {
  readonly stats = new Map<string, ModbusDeviceStats>();
  // modbus-serial is CommonJS: its ES default is module.exports, whose `default` is the class again.
  private readonly client = new ModbusSerial.default();
  private readonly schedule: Scheduled[] = [];
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly config: ModbusLineConfig,
    private readonly sink: SampleSink,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    for (const device of config.devices) {
      const problems = validateRegisterMap(device.registers);
      if (problems.length > 0) throw new Error(`register map of ${device.name}: ${problems.join('; ')}`);
      this.stats.set(device.name, { reads: 0, ok: 0, timeouts: 0, crcErrors: 0, exceptions: 0, otherErrors: 0 });
    }
  }

  async start(): Promise<void> {
    const { config } = this;
    await this.client.connectRTUBuffered(config.path, { baudRate: config.baudRate, parity: config.parity ?? 'none', dataBits: config.dataBits ?? 8, stopBits: config.stopBits ?? 1 });
    this.client.setTimeout(config.timeoutMs ?? 500);
    const now = Date.now();
    for (const device of config.devices) for (const entry of device.registers) this.schedule.push({ device, entry, due: now });
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await new Promise<void>((resolve) => this.client.close(() => resolve()));
  }

  private async run(): Promise<void> {
    while (this.running) {
      const next = Math.min(...this.schedule.map((s) => s.due));
      const wait = next - Date.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      const now = Date.now();
      const due = this.schedule.filter((s) => s.due <= now);
      for (const s of due) s.due = Math.max(s.due + s.entry.pollIntervalMs, now);
      for (const device of new Set(due.map((s) => s.device))) {
        if (!this.running) break;
        await this.pollDevice(device, due.filter((s) => s.device === device).map((s) => s.entry));
      }
    }
  }

  private async pollDevice(device: ModbusDeviceConfig, entries: RegisterEntry[]): Promise<void> {
    const stats = this.stats.get(device.name)!;
    const samples: Sample[] = [];
    this.client.setID(device.unitId);
    for (const block of planReads(entries)) {
      stats.reads++;
      try {
        const { data } = block.function === 3 ? await this.client.readHoldingRegisters(block.address, block.count) : await this.client.readInputRegisters(block.address, block.count);
        const ts = Date.now();
        stats.ok++;
        for (const e of block.entries) {
          const at = e.address - block.address;
          const value = decodeRegisters(data.slice(at, at + registerCount(e.type)), e);
          samples.push({ key: { device: device.name, sensor: this.config.sensor ?? 'modbus', field: e.field, unit: e.unit ?? '' }, ts, value });
        }
      } catch (error) {
        this.count(stats, error as Error & { errno?: string; modbusCode?: number });
      }
    }
    if (samples.length > 0) await this.sink.append(samples).catch((error: Error) => this.onError(error));
  }

  private count(stats: ModbusDeviceStats, error: Error & { errno?: string; modbusCode?: number }): void {
    stats.lastError = error.message;
    if (error.errno === 'ETIMEDOUT') stats.timeouts++;
    else if (/CRC error/.test(error.message)) stats.crcErrors++;
    else if (error.modbusCode !== undefined) stats.exceptions++;
    else stats.otherErrors++;
  }
}
