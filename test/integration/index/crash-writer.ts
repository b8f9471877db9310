// Child process for crash.test.ts: appends numbered records to a LogIndex forever, several appends in flight,
// printing "ack FROM TO" once each batch is acknowledged (durable). The test SIGKILLs it at random moments.
import { LogIndex } from '../../../electron/services/index/log-index.js';
import type { LogRecord } from '../../../shared/logs/record.js';

const [dir, startText, seedText] = process.argv.slice(2);
let next = Number(startText);
let seed = Number(seedText) >>> 0;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const index = await LogIndex.open(dir, { sealRows: 400, mergeBelowRows: 1200, mergeMinSegments: 3, blockRows: 64, idleSealMs: 0 });
process.stdout.write('ready\n');

async function writer(): Promise<void> {
  for (;;) {
    const size = 1 + Math.floor(random() * 60);
    const from = next;
    next += size;
    const records: LogRecord[] = Array.from({ length: size }, (_, i) => ({
      tsNs: 1_764_324_000_000_000_000n + BigInt(Math.floor(random() * 1e12)),
      labels: { device: `gw-${(from + i) % 7}`, source: 'serial' },
      level: 'info',
      message: `rec ${from + i} payload ${'x'.repeat(Math.floor(random() * 200))}`,
    }));
    await index.append(records);
    process.stdout.write(`ack ${from} ${from + size}\n`);
  }
}

await Promise.all([writer(), writer(), writer()]);
