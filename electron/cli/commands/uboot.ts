import { parseArgs } from 'node:util';
import { parseAddress } from '../../../shared/serial/uboot-parse.js';
import { loadFiles } from '../../services/serial/transfer.js';
import { UbootConsole } from '../../services/serial/uboot.js';
import { UsageError, type Command } from '../command.js';
import { parseBaud, parseTimeoutSeconds, progressLine, withSerialSession } from './serial.js';

export const ubootLoadCommand: Command = {
  name: 'uboot load',
  summary: "Stop U-Boot's autoboot, load a file to RAM with loady, and check U-Boot's crc32 against the local CRC32.",
  usage: 'fieldkit uboot load --port PATH [--baud N] --addr ADDR [--prompt TEXT] [--timeout SECONDS] FILE',
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      allowPositionals: true,
      options: { port: { type: 'string' }, baud: { type: 'string' }, addr: { type: 'string' }, prompt: { type: 'string', default: '=> ' }, timeout: { type: 'string', default: '60' } },
    });
    if (!values.port) throw new UsageError('--port is required.');
    const addr = values.addr === undefined ? null : parseAddress(values.addr);
    if (addr === null) throw new UsageError(`--addr must be an address like 0x40200000, got "${values.addr ?? ''}".`);
    if (positionals.length !== 1) throw new UsageError('give exactly one file to load.');
    const timeout = parseTimeoutSeconds(values.timeout);
    const [file] = await loadFiles(positionals);
    const result = await withSerialSession(ctx, values.port, parseBaud(values.baud), async (session) => {
      const uboot = new UbootConsole(session, { prompt: values.prompt });
      try {
        await uboot.reachPrompt(timeout * 1000);
        ctx.stderr.write(uboot.countdownSeen === null ? 'at the U-Boot prompt\n' : `autoboot interrupted (countdown at ${uboot.countdownSeen})\n`);
        return await uboot.loadAndVerify(addr, file!, { signal: ctx.signal, onProgress: progressLine(ctx.stderr) });
      } finally {
        uboot.dispose();
      }
    });
    ctx.stderr.write('\n');
    if (!result.match) {
      throw new Error(`crc32 mismatch: U-Boot has ${result.received} bytes with crc32 ${result.ubootCrc32}, local file ${file!.data.length} bytes crc32 ${result.localCrc32}`);
    }
    ctx.stdout.write(`loaded ${result.received} bytes at 0x${addr.toString(16)}; crc32 ${result.ubootCrc32} matches\n`);
    return 0;
  },
};

export const ubootCommands: Command[] = [ubootLoadCommand];
