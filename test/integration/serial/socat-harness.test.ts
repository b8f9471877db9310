import { describe, it, expect } from 'vitest';
import { open, access } from 'node:fs/promises';
import { startPtyPair } from '../../harness/socat.js';

async function roundTrip(from: string, to: string, text: string): Promise<string> {
  const rd = await open(to, 'r+');
  const wr = await open(from, 'r+');
  try {
    await wr.write(text);
    const buf = Buffer.alloc(text.length);
    let got = 0;
    while (got < text.length) got += (await rd.read(buf, got, text.length - got)).bytesRead;
    return buf.toString();
  } finally {
    await wr.close();
    await rd.close();
  }
}

describe('socat pty pair harness', () => {
  it('carries bytes both ways and comes back on the same paths after restart', async () => {
    const pair = await startPtyPair();
    try {
      expect(await roundTrip(pair.a, pair.b, 'hello')).toBe('hello');
      const firstPid = pair.pid;
      await pair.unplug();
      await expect(access(pair.a)).rejects.toThrow();
      await pair.restart();
      expect(pair.pid).not.toBe(firstPid);
      expect(await roundTrip(pair.b, pair.a, 'again')).toBe('again');
    } finally {
      await pair.stop();
    }
    await expect(access(pair.a)).rejects.toThrow();
  });

  it('survives a peer opening and closing one end (held descriptors)', async () => {
    const pair = await startPtyPair();
    try {
      expect(await roundTrip(pair.a, pair.b, 'one')).toBe('one');
      expect(await roundTrip(pair.a, pair.b, 'two')).toBe('two');
      expect(await roundTrip(pair.b, pair.a, 'back')).toBe('back');
    } finally {
      await pair.stop();
    }
  });
});
