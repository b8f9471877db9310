import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startPtyPair, type PtyPair } from '../../harness/socat.js';
import { startReceiver } from './lrzsz.js';
import { SerialSession } from '../../../electron/services/serial/session.js';
import { sendFiles, type TransferProgress } from '../../../electron/services/serial/transfer.js';
import { blockPlan, CPMEOF, type ModemProtocol } from '../../../shared/serial/modem-frames.js';

const SIZES = [0, 1, 127, 128, 1023, 1024, 1025, 5 * 1024 * 1024];
const nullSink = { append: async () => undefined };

let pair: PtyPair;
let dir: string;
let session: SerialSession;

beforeAll(async () => {
  pair = await startPtyPair();
  dir = await mkdtemp(join(tmpdir(), 'fk-xfer-'));
  session = await SerialSession.open({ path: pair.a, sink: nullSink, captureDir: dir });
});

afterAll(async () => {
  await session?.close();
  await pair?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Sends `data` with FieldKit and returns what lrzsz wrote to disk. */
async function transfer(protocol: ModemProtocol, data: Uint8Array, name: string, crc = true): Promise<{ got: Buffer; progress: TransferProgress }> {
  const out = await mkdtemp(join(dir, 'rx-'));
  const args: [string, ...string[]] = protocol === 'ymodem' ? ['rb', '-b', '-q'] : ['rx', ...(crc ? ['-c'] : []), '-b', '-q', name];
  const rx = startReceiver(pair.b, out, args);
  const result = await sendFiles(session, protocol, [{ name, data }], { blockTimeoutMs: 5000, startTimeoutMs: 20000 });
  const exit = await rx.done;
  expect(result.ok, JSON.stringify(result)).toBe(true);
  expect(exit.code, exit.stderr).toBe(0);
  expect(await readdir(out)).toEqual([name]);
  return { got: await readFile(join(out, name)), progress: result.progress };
}

/** XMODEM has no length field: the receiver keeps the last block's 0x1A padding. */
function expectPadded(got: Buffer, data: Uint8Array, use1k: boolean) {
  const padded = blockPlan(data.length, use1k).reduce((a, b) => a + b, 0);
  expect(got.length).toBe(padded);
  expect(got.subarray(0, data.length).equals(data)).toBe(true);
  expect(got.subarray(data.length).every((b) => b === CPMEOF)).toBe(true);
}

describe.each([
  { protocol: 'xmodem', peer: 'XMODEM-CRC (rx -c)' },
  { protocol: 'xmodem1k', peer: 'XMODEM-1K (rx -c)' },
  { protocol: 'ymodem', peer: 'YMODEM (rb)' },
] as const)('$protocol to lrzsz: $peer', ({ protocol }) => {
  it.each(SIZES)('%i bytes arrive intact', async (size) => {
    const data = new Uint8Array(randomBytes(size));
    const { got, progress } = await transfer(protocol, data, `f${size}.bin`);
    if (protocol === 'ymodem') expect(got.equals(data)).toBe(true);
    else expectPadded(got, data, protocol === 'xmodem1k');
    expect(progress.totalSent).toBe(size);
    expect(progress.check).toBe('crc');
  }, 300_000);
});

describe('other transfer modes', () => {
  it('plain XMODEM with the 8-bit checksum when rx asks with NAK', async () => {
    const data = new Uint8Array(randomBytes(3000));
    const { got, progress } = await transfer('xmodem', data, 'sum.bin', false);
    expectPadded(got, data, false);
    expect(progress.check).toBe('checksum');
  }, 120_000);

  it('a YMODEM batch of several files ends with the end-of-batch block', async () => {
    const out = await mkdtemp(join(dir, 'batch-'));
    const rx = startReceiver(pair.b, out, ['rb', '-b', '-q']);
    const files = [
      { name: 'one.txt', data: new TextEncoder().encode('first file\n') },
      { name: 'two.bin', data: new Uint8Array(randomBytes(4097)) },
      { name: 'empty', data: new Uint8Array() },
    ];
    const result = await sendFiles(session, 'ymodem', files);
    expect(result.ok).toBe(true);
    expect((await rx.done).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['empty', 'one.txt', 'two.bin']);
    for (const f of files) expect((await readFile(join(out, f.name))).equals(f.data)).toBe(true);
  }, 120_000);

  it('cancel sends CAN CAN and the receiver gives up', async () => {
    const out = await mkdtemp(join(dir, 'cancel-'));
    const rx = startReceiver(pair.b, out, ['rb', '-b', '-q']);
    const abort = new AbortController();
    const result = await sendFiles(session, 'ymodem', [{ name: 'big.bin', data: new Uint8Array(randomBytes(2 << 20)) }], {
      signal: abort.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.totalSent > 64 * 1024) abort.abort();
      },
    });
    expect(result).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(result.progress.totalSent).toBeLessThan(2 << 20);
    expect((await rx.done).code).not.toBe(0);
  }, 120_000);
});
