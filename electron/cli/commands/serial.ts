import { parseArgs } from 'node:util';
import { MODEM_PROTOCOLS, type ModemProtocol } from '../../../shared/serial/modem-frames.js';
import type { LogSink } from '../../../shared/logs/record.js';
import { IndexClient, indexDirOf } from '../../services/index/index-client.js';
import { listPorts } from '../../services/serial/ports.js';
import { captureDirOf, SerialSession } from '../../services/serial/session.js';
import { loadFiles, sendFiles, type TransferProgress } from '../../services/serial/transfer.js';
import { UsageError, type CliContext, type Command } from '../command.js';

export function parseBaud(text: string | undefined, fallback = 115200): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--baud must be a positive whole number, got "${text}".`);
  return n;
}

export function parseTimeoutSeconds(text: string | undefined): number {
  const seconds = Number(text);
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${text}".`);
  return seconds;
}

/**
 * Opens a session whose received lines go into the log index and whose bytes go into a capture file under the
 * data dir, runs `use`, and closes both (everything captured is durable when this returns).
 */
export async function withSerialSession<T>(ctx: CliContext, path: string, baudRate: number, use: (s: SerialSession) => Promise<T>): Promise<T> {
  const captureDir = captureDirOf(ctx.dataDir);
  const index = await IndexClient.open(indexDirOf(ctx.dataDir));
  try {
    const session = await SerialSession.open({ path, sink: index as LogSink, captureDir, settings: { baudRate } });
    try {
      return await use(session);
    } finally {
      await session.close();
    }
  } finally {
    await index.close();
  }
}

export function progressLine(stderr: NodeJS.WritableStream): (p: TransferProgress) => void {
  return (p) => {
    const pct = p.totalSize > 0 ? Math.floor((p.totalSent * 100) / p.totalSize) : 100;
    stderr.write(`\r${p.fileName}: ${p.totalSent}/${p.totalSize} bytes ${pct}% ${(p.bytesPerSec / 1024).toFixed(1)} KiB/s retries ${p.retries}   `);
  };
}

export const serialListCommand: Command = {
  name: 'serial list',
  summary: 'List serial ports with friendly chip names and USB ids.',
  usage: 'fieldkit serial list [--json]',
  async run({ argv, stdout }) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const ports = await listPorts();
    if (values.json) {
      stdout.write(`${JSON.stringify(ports)}\n`);
      return 0;
    }
    if (ports.length === 0) {
      stdout.write('no serial ports found\n');
      return 0;
    }
    const rows = ports.map((p) => [p.path, p.name, p.vendorId ? `${p.vendorId}:${p.productId ?? '????'}` : '-', p.serialNumber ?? '-', p.manufacturer ?? '-']);
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) stdout.write(`${r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')}\n`);
    return 0;
  },
};

export const serialCaptureCommand: Command = {
  name: 'serial capture',
  summary: 'Capture everything a port sends into the log index until stopped (Ctrl+C); reconnects on replug.',
  usage: 'fieldkit serial capture --port PATH [--baud N] [--tee]',
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { port: { type: 'string' }, baud: { type: 'string' }, tee: { type: 'boolean', default: false } } });
    if (!values.port) throw new UsageError('--port is required.');
    const baud = parseBaud(values.baud);
    return withSerialSession(ctx, values.port, baud, async (session) => {
      const st = session.status();
      ctx.stderr.write(`capturing ${st.path} (${st.name}) at ${baud} as device "${st.device}"; capture file ${st.capturePath}; Ctrl+C to stop\n`);
      if (values.tee) session.on('data', (c) => ctx.stdout.write(c.bytes));
      session.on('disconnected', (why) => ctx.stderr.write(`disconnected (${why}); waiting for the adapter to come back\n`));
      session.on('reconnected', (path) => ctx.stderr.write(`reconnected on ${path}\n`));
      await new Promise<void>((done) => {
        if (ctx.signal.aborted) return done();
        ctx.signal.addEventListener('abort', () => done(), { once: true });
      });
      await session.flush();
      const end = session.status();
      ctx.stderr.write(`stopped: ${end.bytesIn} bytes received, ${end.reconnects} reconnects\n`);
      return 0;
    });
  },
};

export const serialSendCommand: Command = {
  name: 'serial send',
  summary: 'Send files with XMODEM (checksum/CRC), XMODEM-1K or YMODEM to whatever waits on the port.',
  usage: 'fieldkit serial send --protocol xmodem|xmodem1k|ymodem --port PATH [--baud N] [--timeout SECONDS] FILE…',
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      allowPositionals: true,
      options: { protocol: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, timeout: { type: 'string', default: '60' } },
    });
    const protocol = values.protocol as ModemProtocol | undefined;
    if (!protocol || !MODEM_PROTOCOLS.includes(protocol)) throw new UsageError(`--protocol must be one of ${MODEM_PROTOCOLS.join(', ')}.`);
    if (!values.port) throw new UsageError('--port is required.');
    if (positionals.length === 0) throw new UsageError('give the file to send.');
    if (protocol !== 'ymodem' && positionals.length > 1) throw new UsageError(`${protocol} sends one file; use ymodem for several.`);
    const timeout = parseTimeoutSeconds(values.timeout);
    const baud = parseBaud(values.baud);
    const files = await loadFiles(positionals);
    const result = await withSerialSession(ctx, values.port, baud, (session) =>
      sendFiles(session, protocol, files, { signal: ctx.signal, startTimeoutMs: timeout * 1000, onProgress: progressLine(ctx.stderr), progressIntervalMs: 500 }),
    );
    ctx.stderr.write('\n');
    if (!result.ok) throw new Error(`transfer failed: ${result.detail}`);
    const p = result.progress;
    ctx.stdout.write(`sent ${p.totalSent} bytes in ${files.length} file(s) with ${protocol} (${p.check}) in ${(p.elapsedMs / 1000).toFixed(1)} s, ${(p.bytesPerSec / 1024).toFixed(1)} KiB/s\n`);
    return 0;
  },
};

export const serialCommands: Command[] = [serialListCommand, serialCaptureCommand, serialSendCommand];
