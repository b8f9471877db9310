/** Starts test/harness/modbus_slave.py (Debian's python3 + pymodbus) as an RTU slave on a serial device path. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ModbusSlaveUnit {
  /** Start address -> consecutive 16-bit register values. */
  holding?: Record<number, number[]>;
  input?: Record<number, number[]>;
}

export interface ModbusSlave {
  /** Flips a CRC byte in the next `n` responses. */
  corruptNext(n: number): Promise<void>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('./modbus_slave.py', import.meta.url));

export async function startModbusSlave(port: string, units: Record<number, ModbusSlaveUnit>, baudrate = 9600): Promise<ModbusSlave> {
  const proc = spawn('/usr/bin/python3', [script, port, JSON.stringify({ baudrate, units })], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of [...waiters]) {
      const at = stdout.indexOf(w.text);
      if (at >= 0) {
        stdout = stdout.slice(at + w.text.length);
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const expectLine = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`modbus slave: no "${text}" within 10 s: ${stderr.trim()}`)), 10_000);
      waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      proc.once('exit', (code) => reject(new Error(`modbus slave exited (${code}): ${stderr.trim()}`)));
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 2000).unref();
    });
  try {
    await expectLine('ready\n');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    corruptNext: async (n) => {
      const ack = expectLine('ok\n');
      proc.stdin.write(`corrupt ${n}\n`);
      await ack;
    },
    stop,
  };
}
