import { it, expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPtyPair } from '../../harness/socat.js';
import { SerialSession } from '../../../electron/services/serial/session.js';
import { readCapture } from '../../../electron/services/serial/capture-file.js';
import { recordBytes } from '../../../shared/serial/lines.js';
import { crc32 } from '../../../shared/serial/crc.js';
import type { LogRecord, LogSink } from '../../../shared/logs/record.js';

/** CI runs the full 60 s; FK_SERIAL_THROUGHPUT_S shortens it while developing. */
const SECONDS = Number(process.env['FK_SERIAL_THROUGHPUT_S'] ?? 60);
const WRITER = fileURLToPath(new URL('../../fixtures/serial/stream-writer.py', import.meta.url));

/** A sink that keeps only the count and CRC32 of the bytes its records carry, in arrival order. */
class ChecksumSink implements LogSink {
  bytes = 0;
  crc = 0;
  async append(records: readonly LogRecord[]) {
    for (const r of records) {
      const b = recordBytes(r);
      this.bytes += b.length;
      this.crc = crc32(b, this.crc);
    }
  }
}

it(`captures a ${SECONDS} s full-speed stream with zero loss (count + CRC32 in sink and capture file)`, async () => {
  const pair = await startPtyPair();
  const dir = await mkdtemp(join(tmpdir(), 'fk-throughput-'));
  const sink = new ChecksumSink();
  const session = await SerialSession.open({ path: pair.a, sink, captureDir: dir, settings: { baudRate: 4_000_000 } });
  try {
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [WRITER, pair.b, String(SECONDS)]);
    const [sentBytes, sentCrc] = stdout.trim().split(' ').map(Number) as [number, number];
    const deadline = Date.now() + 60_000;
    while (session.status().bytesIn < sentBytes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await session.flush();

    expect(session.status().bytesIn).toBe(sentBytes);
    expect({ bytes: sink.bytes, crc: sink.crc >>> 0 }).toEqual({ bytes: sentBytes, crc: sentCrc });
    let capBytes = 0;
    let capCrc = 0;
    for await (const c of readCapture(session.status().capturePath)) {
      if (c.dir !== 'rx') continue;
      capBytes += c.bytes.length;
      capCrc = crc32(c.bytes, capCrc);
    }
    expect({ bytes: capBytes, crc: capCrc }).toEqual({ bytes: sentBytes, crc: sentCrc });
  } finally {
    await session.close();
    await pair.stop();
    await rm(dir, { recursive: true, force: true });
  }
}, (SECONDS + 180) * 1000);
