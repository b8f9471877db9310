/** A real U-Boot: qemu-system-aarch64 `virt` running Debian's u-boot-qemu build, its console on a pty. */
import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';

export const UBOOT_BIOS = '/usr/lib/u-boot/qemu_arm64/u-boot.bin';
/** RAM on qemu virt starts at 0x40000000; U-Boot relocates itself to the top, so this is free for loads. */
export const UBOOT_LOAD_ADDR = 0x40200000;

export interface UbootVm {
  /** The pty qemu connected the guest's serial console to. */
  pty: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startUboot(opts: { bios?: string; timeoutMs?: number } = {}): Promise<UbootVm> {
  const bios = opts.bios ?? UBOOT_BIOS;
  await access(bios).catch(() => {
    throw new Error(`U-Boot firmware not found at ${bios} (Debian package u-boot-qemu)`);
  });
  const proc = spawn(
    'qemu-system-aarch64',
    ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '256', '-nic', 'none', '-display', 'none', '-monitor', 'none', '-serial', 'pty', '-bios', bios],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pty = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`qemu printed no pty path: ${out.trim()}`)), opts.timeoutMs ?? 10_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`qemu exited (${code}): ${out.trim()}`));
    });
    proc.once('error', reject);
  });
  return { pty, pid: proc.pid ?? -1, stop: () => stopProcess(proc) };
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
  });
}
