import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { SerialSessionStatus, TransferProgressEvent } from '../../shared/contract/serial.js';
import type { LogSink } from '../../shared/logs/record.js';
import { exportRaw, exportText } from '../services/serial/capture-file.js';
import { listPorts, PortWatcher } from '../services/serial/ports.js';
import { captureDirOf, SerialSession, type RxChunk } from '../services/serial/session.js';
import { loadFiles, sendFiles, type TransferProgress } from '../services/serial/transfer.js';
import type { ConnectionRegistry } from './connections.js';
import type { Handlers } from './handlers.js';

type SerialHandlers = Pick<
  Handlers,
  | 'serial.ports' | 'serial.watchPorts' | 'serial.open' | 'serial.sessions' | 'serial.attach' | 'serial.write' | 'serial.configure'
  | 'serial.setSignals' | 'serial.sendBreak' | 'serial.detectBaud' | 'serial.close' | 'serial.sendFile' | 'serial.export'
>;

export interface SerialDeps {
  dataDir: string;
  connections: ConnectionRegistry;
  /** Where received lines go (the log index). */
  sink: LogSink;
  portPollMs?: number;
}

/** Recent bytes kept per session so a console that attaches later (tab reopened, window reloaded) shows context. */
const SCROLLBACK_BYTES = 256 << 10;
/** Received bytes are sent to an attached console in batches of at most this size… */
const BATCH_BYTES = 256 << 10;
/** …collected for at most this long. */
const BATCH_MS = 15;
const REPLAY_GAP_NS = 50_000_000n;

interface Entry {
  session: SerialSession;
  scrollback: RxChunk[];
  scrollbackBytes: number;
  transfer: AbortController | null;
  watchers: Set<(status: SerialSessionStatus) => void>;
  detachAll: Set<() => void>;
  release: () => void;
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');

/** The session layer's one-line reasons, turned into what the technician should read and do next. */
export function explainSerialError(error: unknown): FieldkitError {
  if (error instanceof FieldkitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/^no such port/.test(message)) return new FieldkitError('not_found', message, 'Check the cable and pick the port again; USB adapters get a new name when replugged.');
  if (/^port busy/.test(message)) return new FieldkitError('conflict', message, 'Close the other program using the port (minicom, screen, another console tab).');
  if (/permission denied/i.test(message)) return new FieldkitError('unavailable', message, 'Add your user to the dialout group (sudo usermod -aG dialout $USER), then log in again.');
  const noModemLines = /^cannot (?:set DTR\/RTS|send BREAK|end BREAK) on (\S+): .*inappropriate ioctl/i.exec(message);
  if (noModemLines) {
    return new FieldkitError('unavailable', `${noModemLines[1]} has no modem control lines (DTR, RTS, BREAK): it is a pseudo-terminal or a port that does not support them.`, 'Use a USB-serial adapter that wires DTR/RTS, or reset the device by hand.');
  }
  if (/^invalid /.test(message)) return new FieldkitError('bad_request', message);
  if (/disconnected \(waiting/.test(message)) return new FieldkitError('unavailable', message, 'Plug the adapter back in; the session reconnects by itself.');
  return new FieldkitError('failed', message);
}

export function createSerialHandlers(deps: SerialDeps): { handlers: SerialHandlers; session(id: string): SerialSession | undefined; close(): Promise<void> } {
  const captureDir = captureDirOf(deps.dataDir);
  const sessions = new Map<string, Entry>();
  /** Capture files of sessions closed in this run, still exportable. */
  const closedCaptures = new Map<string, string>();

  const statusOf = (entry: Entry): SerialSessionStatus => ({ ...entry.session.status(), transferring: entry.transfer !== null });
  const notify = (entry: Entry) => {
    const status = statusOf(entry);
    for (const watcher of entry.watchers) watcher(status);
  };

  const lookup = (id: string): Entry => {
    const entry = sessions.get(id);
    if (!entry) throw lookupError(id);
    return entry;
  };
  const idle = (id: string): Entry => {
    const entry = lookup(id);
    if (entry.transfer) throw new FieldkitError('conflict', 'A file transfer is using the line.', 'Wait for it to finish or cancel it.');
    return entry;
  };
  const act = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw explainSerialError(error);
    }
  };

  function track(session: SerialSession): Entry {
    const entry: Entry = {
      session, scrollback: [], scrollbackBytes: 0, transfer: null, watchers: new Set(), detachAll: new Set(),
      release: deps.connections.register(`serial ${session.status().path}`),
    };
    session.on('data', (chunk) => {
      entry.scrollback.push(chunk);
      entry.scrollbackBytes += chunk.bytes.length;
      while (entry.scrollbackBytes > SCROLLBACK_BYTES && entry.scrollback.length > 1) entry.scrollbackBytes -= entry.scrollback.shift()!.bytes.length;
    });
    session.on('status', () => notify(entry));
    // Sink and capture-file hiccups are retried by the session; its status carries the message meanwhile.
    session.on('error', () => notify(entry));
    sessions.set(session.id, entry);
    return entry;
  }

  async function closeEntry(id: string, entry: Entry): Promise<void> {
    entry.transfer?.abort();
    sessions.delete(id);
    try {
      await entry.session.close();
    } finally {
      closedCaptures.set(id, entry.session.status().capturePath);
      entry.release();
      notify(entry);
      for (const detach of entry.detachAll) detach();
    }
  }

  const handlers: SerialHandlers = {
    'serial.ports': () => act(async () => ({ ports: await listPorts() })),

    'serial.watchPorts': (_input, emit, ctx) => {
      const watcher = new PortWatcher(deps.portPollMs ?? 1000);
      const send = () => emit({ ports: watcher.current() });
      watcher.on('added', send);
      watcher.on('removed', send);
      // A failed poll is retried on the next tick; only a failing first listing ends the stream.
      watcher.on('error', () => undefined);
      watcher.start().then(send, (error: unknown) => ctx.end(explainSerialError(error)));
      return () => watcher.stop();
    },

    'serial.open': (input) =>
      act(async () => {
        const session = await SerialSession.open({ path: input.path, settings: input.settings, sink: deps.sink, captureDir });
        return statusOf(track(session));
      }),

    'serial.sessions': () => ({ sessions: [...sessions.values()].map(statusOf) }),

    'serial.attach': (input, emit, ctx) => {
      const entry = sessions.get(input.sessionId);
      if (!entry) {
        ctx.end(lookupError(input.sessionId));
        return () => {};
      }
      if (input.replay) {
        for (const group of replayGroups(entry.scrollback)) {
          emit({ type: 'data', tsNs: group[0]!.tsNs.toString(), data: Buffer.concat(group.map((c) => c.bytes)).toString('base64'), replay: true });
        }
      }
      emit({ type: 'status', status: statusOf(entry) });

      let batch: RxChunk[] = [];
      let batchBytes = 0;
      let timer: NodeJS.Timeout | null = null;
      const flush = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (batch.length === 0) return;
        const bytes = batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((c) => c.bytes));
        emit({ type: 'data', tsNs: batch[0]!.tsNs.toString(), data: toBase64(bytes), replay: false });
        batch = [];
        batchBytes = 0;
      };
      const onData = (chunk: RxChunk) => {
        batch.push(chunk);
        batchBytes += chunk.bytes.length;
        if (batchBytes >= BATCH_BYTES) flush();
        else timer ??= setTimeout(flush, BATCH_MS);
      };
      const onStatus = (status: SerialSessionStatus) => {
        flush();
        emit({ type: 'status', status });
      };
      const detach = () => {
        flush();
        ctx.end();
      };
      entry.session.on('data', onData);
      entry.watchers.add(onStatus);
      entry.detachAll.add(detach);
      return () => {
        if (timer) clearTimeout(timer);
        entry.session.off('data', onData);
        entry.watchers.delete(onStatus);
        entry.detachAll.delete(detach);
      };
    },

    'serial.write': (input) =>
      act(async () => {
        const bytes = Buffer.from(input.data, 'base64');
        const entry = idle(input.sessionId);
        await entry.session.write(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
        notify(entry);
        return { bytes: bytes.length };
      }),

    'serial.configure': (input) =>
      act(async () => {
        const entry = idle(input.sessionId);
        await entry.session.update(input.settings);
        return statusOf(entry);
      }),

    'serial.setSignals': (input) =>
      act(async () => {
        const entry = lookup(input.sessionId);
        await entry.session.setSignals({ ...(input.dtr !== undefined && { dtr: input.dtr }), ...(input.rts !== undefined && { rts: input.rts }) });
        return statusOf(entry);
      }),

    'serial.sendBreak': (input) =>
      act(async () => {
        await idle(input.sessionId).session.sendBreak(input.ms);
        return {};
      }),

    'serial.detectBaud': (input) =>
      act(async () => {
        const entry = idle(input.sessionId);
        const verdict = await entry.session.detectBaud({
          ...(input.probe !== undefined && { probe: input.probe }),
          ...(input.sampleMs !== undefined && { sampleMs: input.sampleMs }),
        });
        return { ...verdict, status: statusOf(entry) };
      }),

    'serial.close': (input) =>
      act(async () => {
        await closeEntry(input.sessionId, lookup(input.sessionId));
        return {};
      }),

    'serial.sendFile': (input, emit, ctx) => {
      let entry: Entry;
      try {
        entry = idle(input.sessionId);
      } catch (error) {
        ctx.end(error);
        return () => {};
      }
      const cancel = new AbortController();
      entry.transfer = cancel;
      notify(entry);
      const event = (p: TransferProgress): TransferProgressEvent => ({
        protocol: p.protocol, fileName: p.fileName, fileIndex: p.fileIndex, fileCount: p.fileCount, totalSent: p.totalSent,
        totalSize: p.totalSize, retries: p.retries, elapsedMs: p.elapsedMs, bytesPerSec: p.bytesPerSec,
        etaSec: p.bytesPerSec > 0 ? (p.totalSize - p.totalSent) / p.bytesPerSec : null,
      });
      (async () => {
        const files = await loadFiles(input.paths).catch((error: Error) => {
          throw new FieldkitError('bad_request', error.message, 'Give the full path of a file on this machine.');
        });
        const result = await sendFiles(entry.session, input.protocol, files, {
          signal: cancel.signal,
          onProgress: (p) => emit({ type: 'progress', ...event(p) }),
        });
        emit({ type: 'done', ...event(result.progress), ok: result.ok, ...(!result.ok && { reason: result.reason, detail: result.detail }) });
        ctx.end();
      })()
        .catch((error: unknown) => ctx.end(explainSerialError(error)))
        .finally(() => {
          entry.transfer = null;
          if (sessions.has(input.sessionId)) notify(entry);
        });
      return () => cancel.abort();
    },

    'serial.export': (input) =>
      act(async () => {
        if (!isAbsolute(input.path)) throw new FieldkitError('bad_request', `Not a full path: ${input.path}`, 'Give the full path of the file to write, e.g. /home/tech/gw-17-console.log.');
        const entry = sessions.get(input.sessionId);
        const capturePath = closedCaptures.get(input.sessionId);
        if (!entry && !capturePath) throw lookupError(input.sessionId);
        if (input.format === 'raw') await (entry ? entry.session.exportRaw(input.path) : exportRaw(capturePath!, input.path));
        else await (entry ? entry.session.exportText(input.path) : exportText(capturePath!, input.path));
        return { path: input.path, bytes: (await stat(input.path)).size };
      }),
  };

  return {
    handlers,
    session: (id) => sessions.get(id)?.session,
    async close() {
      await Promise.allSettled([...sessions].map(([id, entry]) => closeEntry(id, entry)));
    },
  };
}

/** Scrollback in bursts (chunks less than 50 ms apart), so replayed lines keep roughly their own arrival times. */
function replayGroups(chunks: readonly RxChunk[]): RxChunk[][] {
  const groups: RxChunk[][] = [];
  for (const chunk of chunks) {
    const last = groups.at(-1);
    if (last && chunk.tsNs - last.at(-1)!.tsNs < REPLAY_GAP_NS) last.push(chunk);
    else groups.push([chunk]);
  }
  return groups;
}

function lookupError(id: string): FieldkitError {
  return new FieldkitError('not_found', `No serial session ${id}.`, 'It was closed; open the port again from the port list.');
}
