import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { WriteAheadLog, decodeFrames, encodeFrame } from './wal.js';
import { writeFileAtomic } from './atomic-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-wal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (frame: { payload: Buffer }) => frame.payload.toString();
const walFiles = async () => (await readdir(dir)).filter((name) => name.endsWith('.wal')).sort();

describe('WriteAheadLog', () => {
  it('replays every acknowledged frame in order after reopening', async () => {
    const { wal } = await WriteAheadLog.open(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => wal.append(Buffer.from(`frame ${i}`))));
    await wal.append(new Uint8Array(0));
    await wal.close();
    const { frames, repairs } = await WriteAheadLog.open(dir);
    expect(repairs).toEqual([]);
    expect(frames.map(text)).toEqual([...Array.from({ length: 200 }, (_, i) => `frame ${i}`), '']);
  });

  it('batches concurrent appends into few writes (group commit)', async () => {
    const { wal } = await WriteAheadLog.open(dir);
    const first = wal.append(Buffer.from('a'));
    const rest = Array.from({ length: 50 }, (_, i) => wal.append(Buffer.from(`b${i}`)));
    await Promise.all([first, ...rest]);
    await wal.close();
    const [file] = await walFiles();
    const bytes = await readFile(join(dir, file));
    expect(decodeFrames(bytes).payloads).toHaveLength(51);
  });

  it('cuts a torn tail and keeps accepting appends after it', async () => {
    const { wal } = await WriteAheadLog.open(dir);
    await wal.append(Buffer.from('kept-1'));
    await wal.append(Buffer.from('kept-2'));
    await wal.close();
    const [file] = await walFiles();
    const torn = encodeFrame(Buffer.from('never acknowledged')).subarray(0, 13);
    await appendFile(join(dir, file), torn);
    const reopened = await WriteAheadLog.open(dir);
    expect(reopened.frames.map(text)).toEqual(['kept-1', 'kept-2']);
    expect(reopened.repairs).toEqual([expect.objectContaining({ truncatedBytes: 13, reason: 'torn frame payload' })]);
    await reopened.wal.append(Buffer.from('after-repair'));
    await reopened.wal.close();
    const again = await WriteAheadLog.open(dir);
    expect(again.frames.map(text)).toEqual(['kept-1', 'kept-2', 'after-repair']);
    expect(again.repairs).toEqual([]);
  });

  it('stops at a frame whose checksum does not match', async () => {
    const { wal } = await WriteAheadLog.open(dir);
    for (const word of ['one', 'two', 'three']) await wal.append(Buffer.from(word));
    await wal.close();
    const [file] = await walFiles();
    const path = join(dir, file);
    const bytes = await readFile(path);
    bytes[bytes.length - 2] ^= 0xff;
    await writeFile(path, bytes);
    const reopened = await WriteAheadLog.open(dir);
    expect(reopened.frames.map(text)).toEqual(['one', 'two']);
    expect(reopened.repairs[0].reason).toBe('checksum mismatch');
    expect((await stat(path)).size).toBe(bytes.length - 13);
  });

  it('rotates generations and drops the checkpointed ones', async () => {
    const { wal } = await WriteAheadLog.open(dir);
    await wal.append(Buffer.from('g1'));
    const sealed = wal.rotate();
    const pendingInNew = wal.append(Buffer.from('g2'));
    await wal.dropThrough(sealed);
    await pendingInNew;
    await wal.close();
    expect(await walFiles()).toHaveLength(1);
    const reopened = await WriteAheadLog.open(dir);
    expect(reopened.frames.map((frame) => [frame.generation, text(frame)])).toEqual([[sealed + 1, 'g2']]);
    expect(reopened.wal.currentGeneration).toBe(sealed + 2);
  });

  it('rejects appends after close without losing earlier ones', async () => {
    const { wal } = await WriteAheadLog.open(dir);
    const acknowledged = wal.append(Buffer.from('x'));
    await wal.close();
    await acknowledged;
    await expect(wal.append(Buffer.from('y'))).rejects.toThrow(/closed/);
    expect((await WriteAheadLog.open(dir)).frames.map(text)).toEqual(['x']);
  });

  it('decodes exactly the intact prefix of any truncated frame stream (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }), fc.nat(), (payloads, cutSeed) => {
        const frames = payloads.map((payload) => encodeFrame(payload));
        const all = Buffer.concat(frames);
        const cut = all.length === 0 ? 0 : cutSeed % (all.length + 1);
        const { payloads: decoded, validBytes } = decodeFrames(all.subarray(0, cut));
        let whole = 0;
        let end = 0;
        while (whole < frames.length && end + frames[whole].length <= cut) end += frames[whole++].length;
        expect(validBytes).toBe(end);
        expect(decoded.map((p) => Buffer.from(p))).toEqual(payloads.slice(0, whole).map((p) => Buffer.from(p)));
      }),
    );
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temp files', async () => {
    const path = join(dir, 'seg.bin');
    await writeFileAtomic(path, Buffer.from('old'));
    await writeFileAtomic(path, [Buffer.from('new '), Buffer.from('content')]);
    expect((await readFile(path)).toString()).toBe('new content');
    expect(await readdir(dir)).toEqual(['seg.bin']);
  });
});
