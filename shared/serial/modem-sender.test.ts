import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ModemSender, type ModemFile, type ModemStep } from './modem-sender.js';
import {
  ACK, CAN, CPMEOF, CRC_START, EOT, NAK, SOH, STX,
  parseBlock, parseYmodemHeader, type CheckMode, type ModemProtocol,
} from './modem-frames.js';

/** A minimal receiver that follows the protocol from the other side; it NAKs every `corruptEvery`-th block once. */
function receive(sender: ModemSender, check: CheckMode, corruptEvery = 0): { files: ModemFile[]; step: ModemStep } {
  const files: ModemFile[] = [];
  const ymodem = sender.protocol === 'ymodem';
  let data: number[] = [];
  let expectedSize = -1;
  let name = '';
  let blocks = 0;
  let naked: Uint8Array | undefined;
  const ask = check === 'crc' ? CRC_START : NAK;
  expect(sender.start().send).toBeUndefined();
  let step = sender.receive(new Uint8Array([ask]));
  for (let guard = 0; guard < 100_000 && !step.outcome; guard++) {
    const frame = step.send!;
    let reply: number[];
    if (frame[0] === EOT) {
      const bytes = expectedSize >= 0 ? data.slice(0, expectedSize) : data;
      files.push({ name, data: new Uint8Array(bytes) });
      data = [];
      reply = ymodem ? [ACK, ask] : [ACK];
    } else {
      expect([SOH, STX]).toContain(frame[0]);
      if (corruptEvery && ++blocks % corruptEvery === 0 && frame !== naked) {
        naked = frame;
        step = sender.receive(new Uint8Array([NAK]));
        continue;
      }
      const block = parseBlock(frame, check)!;
      expect(block).not.toBeNull();
      if (ymodem && block.seq === 0) {
        const header = parseYmodemHeader(block.payload);
        if (!header) {
          step = sender.receive(new Uint8Array([ACK]));
          continue;
        }
        name = header.name;
        expectedSize = header.size;
        reply = [ACK, ask];
      } else {
        data.push(...block.payload);
        reply = [ACK];
      }
    }
    step = sender.receive(new Uint8Array(reply));
  }
  return { files, step };
}

const protocols: ModemProtocol[] = ['xmodem', 'xmodem1k', 'ymodem'];

describe('ModemSender against a simulated receiver', () => {
  it('delivers any file intact (XMODEM: followed only by 0x1A padding)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...protocols),
        fc.constantFrom<CheckMode>('crc', 'checksum'),
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 0, max: 7 }),
        (protocol, check, data, corruptEvery) => {
          const sender = new ModemSender(protocol, [{ name: 'f.bin', data }]);
          const { files, step } = receive(sender, check, corruptEvery);
          expect(step.outcome).toEqual({ ok: true });
          expect(files).toHaveLength(1);
          const got = files[0]!.data;
          if (protocol === 'ymodem') {
            expect(files[0]!.name).toBe('f.bin');
            expect(got).toEqual(data);
          } else {
            expect(got.subarray(0, data.length)).toEqual(data);
            expect(got.subarray(data.length).every((b) => b === CPMEOF)).toBe(true);
            expect(got.length % 128).toBe(0);
          }
          expect(sender.progress().totalSent).toBe(data.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sends a YMODEM batch with names, sizes and the end-of-batch block', () => {
    const files = [
      { name: 'dir/a.txt', data: new Uint8Array([1, 2, 3]) },
      { name: 'empty', data: new Uint8Array() },
      { name: 'b', data: new Uint8Array(2000).fill(7) },
    ];
    const { files: got, step } = receive(new ModemSender('ymodem', files), 'crc');
    expect(step.outcome).toEqual({ ok: true });
    expect(got.map((f) => [f.name, f.data.length])).toEqual([['a.txt', 3], ['empty', 0], ['b', 2000]]);
  });

  it('stops on CAN CAN from the receiver and sends CAN when cancelled locally', () => {
    const s = new ModemSender('xmodem1k', [{ name: 'x', data: new Uint8Array(5000) }]);
    s.start();
    s.receive(new Uint8Array([CRC_START]));
    expect(s.receive(new Uint8Array([CAN, CAN])).outcome).toMatchObject({ ok: false, reason: 'cancelled-by-receiver' });

    const t = new ModemSender('xmodem', [{ name: 'x', data: new Uint8Array(5000) }]);
    t.start();
    t.receive(new Uint8Array([NAK]));
    const step = t.cancel();
    expect(step.outcome).toMatchObject({ ok: false, reason: 'cancelled' });
    expect([...step.send!.subarray(0, 2)]).toEqual([CAN, CAN]);
  });

  it('gives up after the retry limit and when the receiver never starts', () => {
    const s = new ModemSender('xmodem', [{ name: 'x', data: new Uint8Array(10) }], { maxRetries: 2 });
    expect(s.timeout().outcome).toMatchObject({ reason: 'timeout' });
    const t = new ModemSender('xmodem', [{ name: 'x', data: new Uint8Array(10) }], { maxRetries: 2 });
    t.receive(new Uint8Array([NAK]));
    expect(t.timeout().send).toBeDefined();
    expect(t.receive(new Uint8Array([NAK])).send).toBeDefined();
    expect(t.timeout().outcome).toMatchObject({ reason: 'retries' });
  });
});
