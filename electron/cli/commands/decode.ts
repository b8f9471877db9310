import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { NmeaStreamDecoder } from '../../../shared/telemetry/nmea-stream.js';
import { UsageError, type Command } from '../command.js';

/** Lines of a file, or of stdin for `-`. */
function readLines(file: string): AsyncIterable<string> {
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  return createInterface({ input, crlfDelay: Infinity });
}

export const decodeNmeaCommand: Command = {
  name: 'decode nmea',
  summary: 'Decode NMEA 0183 sentences: one JSON line per valid sentence, bad sentences summed up on stderr.',
  usage: 'fieldkit decode nmea <file|->',
  async run({ argv, stdout, stderr }) {
    if (argv.length !== 1) throw new UsageError('give one file, or - for stdin.');
    const decoder = new NmeaStreamDecoder('cli');
    // `… | head` closes stdout early: stop reading instead of dying on EPIPE.
    let closed = false;
    stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed = true;
    });
    for await (const line of readLines(argv[0]!)) {
      if (closed) break;
      const r = decoder.push(line);
      if (r.kind === 'message') stdout.write(`${JSON.stringify(r.message)}\n`);
    }
    if (decoder.bad.length > 0) {
      stderr.write(`${decoder.bad.length} bad sentence(s), ${decoder.valid} valid:\n`);
      for (const b of decoder.bad.slice(0, 20)) stderr.write(`  line ${b.line}: ${b.error}: ${b.text}\n`);
      if (decoder.bad.length > 20) stderr.write(`  … and ${decoder.bad.length - 20} more\n`);
    }
    return 0;
  },
};
