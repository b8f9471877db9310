import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startUboot, UBOOT_LOAD_ADDR, type UbootVm } from '../../harness/uboot.js';
import { SerialSession } from '../../../electron/services/serial/session.js';
import { UbootConsole } from '../../../electron/services/serial/uboot.js';
import { crc32, hex32 } from '../../../shared/serial/crc.js';

let vm: UbootVm;
let dir: string;
let session: SerialSession;
let uboot: UbootConsole;

beforeAll(async () => {
  vm = await startUboot();
  dir = await mkdtemp(join(tmpdir(), 'fk-uboot-'));
  session = await SerialSession.open({ path: vm.pty, sink: { append: async () => undefined }, captureDir: dir });
  uboot = new UbootConsole(session);
});

afterAll(async () => {
  uboot?.dispose();
  await session?.close();
  await vm?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('U-Boot in qemu (virt, u-boot-qemu)', () => {
  it('interrupts the autoboot countdown and reaches the prompt', async () => {
    await uboot.reachPrompt(60_000);
    expect(uboot.countdownSeen).not.toBeNull();
  }, 90_000);

  it('runs a command and returns its output at the prompt', async () => {
    expect(await uboot.run('version')).toMatch(/^U-Boot \d{4}\.\d{2}/m);
    expect(await uboot.run('echo fieldkit-$filesize-ok')).toMatch(/^fieldkit-.*-ok$/m);
  }, 30_000);

  it('loads a file with loady and U-Boot computes the same CRC32', async () => {
    const data = new Uint8Array(randomBytes(100_001));
    const result = await uboot.loadAndVerify(UBOOT_LOAD_ADDR, { name: 'payload.bin', data });
    expect(result).toEqual({ received: data.length, localCrc32: hex32(crc32(data)), ubootCrc32: hex32(crc32(data)), match: true });
  }, 120_000);

  it('loads with loadx (XMODEM-1K, padded) and checks the CRC32 over the file size', async () => {
    const data = new Uint8Array(randomBytes(5_000));
    const result = await uboot.loadAndVerify(UBOOT_LOAD_ADDR, { name: 'x.bin', data }, { via: 'loadx' });
    expect(result.match).toBe(true);
    expect(result.received).toBeGreaterThanOrEqual(data.length);
    expect(result.ubootCrc32).toBe(hex32(crc32(data)));
  }, 120_000);

  it('our CRC32 still agrees with U-Boot after a byte is changed in its RAM', async () => {
    const data = new Uint8Array(randomBytes(2_000));
    await uboot.loadAndVerify(UBOOT_LOAD_ADDR, { name: 'a.bin', data });
    await uboot.run(`mw.b ${(UBOOT_LOAD_ADDR + 100).toString(16)} 0x5a 1`);
    const out = await uboot.run(`crc32 ${UBOOT_LOAD_ADDR.toString(16)} ${data.length.toString(16)}`);
    const changed = data.slice();
    changed[100] = 0x5a;
    expect(out).toContain(`==> ${hex32(crc32(changed))}`);
  }, 120_000);
});
