import { isAbsolute, join } from 'node:path';
import { FieldkitError } from '../../shared/contract/errors.js';
import type { LogSink } from '../../shared/logs/record.js';
import type { ModbusSourceInput, MqttSourceInput, SeriesSamples, TelemetrySource } from '../../shared/contract/telemetry.js';
import { importFile } from '../services/telemetry/file-import.js';
import { writeCsv } from '../services/telemetry/csv-export.js';
import { LiveFeed, type LiveSample } from '../services/telemetry/live-feed.js';
import { ModbusPoller } from '../services/telemetry/modbus-poller.js';
import { MqttSource } from '../services/telemetry/mqtt-source.js';
import { SerialNmeaSource } from '../services/telemetry/serial-nmea-source.js';
import type { SerialSession } from '../services/serial/session.js';
import { SessionStore } from '../services/telemetry/sessions.js';
import { TelemetryStore, telemetryDirOf } from '../services/telemetry/store.js';
import type { ConnectionRegistry } from './connections.js';
import type { Handlers } from './handlers.js';

type TelemetryHandlers = Pick<Handlers, Extract<keyof Handlers, `telemetry.${string}`>>;

/** How often live and replay batches go out. */
const BATCH_MS = 50;
/** Raw samples one export or replay reads per series. */
const RANGE_LIMIT = 5_000_000;

/** JSON has no NaN or Infinity: those values travel as null. */
const jsonValue = (v: number): number | null => (Number.isFinite(v) ? v : null);
const jsonValues = (values: ArrayLike<number>): (number | null)[] => Array.from(values, jsonValue);

type SourceCounters = Pick<TelemetrySource, 'messages' | 'samples' | 'badPayloads' | 'devices'>;

interface RunningSource {
  info: Omit<TelemetrySource, keyof SourceCounters>;
  counters(): SourceCounters;
  stop(): Promise<void>;
  release(): void;
  /** The serial session a serial source reads. */
  sessionId?: string;
}

function connectHint(message: string): string {
  if (/not authori[sz]ed|bad user ?name or password/i.test(message)) return 'Check the user name and password configured on the broker.';
  if (/certificate|self.signed|TLS|SSL/i.test(message)) return "Paste the broker's CA certificate (PEM), or check that the address matches its certificate.";
  return 'Check the address and port, and that the broker is reachable from this laptop.';
}

function serialOpenError(path: string, message: string): FieldkitError {
  if (/no such file|ENOENT|cannot open/i.test(message) && !/busy|lock/i.test(message)) return new FieldkitError('not_found', `No serial port ${path}: ${message}`, 'Check the RS-485 adapter is plugged in and pick its port again.');
  if (/busy|lock/i.test(message)) return new FieldkitError('conflict', `${path} is in use: ${message}`, 'Close the console or other program using the port.');
  if (/permission denied|EACCES/i.test(message)) return new FieldkitError('unavailable', `No permission to open ${path}.`, 'Add your user to the dialout group (sudo usermod -aG dialout $USER), then log in again.');
  return new FieldkitError('unavailable', `Could not open ${path}: ${message}`, 'Check the port and its line settings.');
}

function modbusLabel(input: ModbusSourceInput): string {
  return `${input.devices.map((d) => `${d.name} (unit ${d.unitId})`).join(', ')} ← modbus ${input.path} ${input.baudRate} baud`;
}

function mqttLabel(input: MqttSourceInput): string {
  return `${input.device} ← ${input.url} ${input.topics.map((t) => t.filter).join(' ')}`;
}

function checkedRange(from: number, to: number): void {
  if (!(to > from)) throw new FieldkitError('bad_request', 'The end of the time range must be after its start.', 'Pick a wider range.');
}

/** Collects samples per series and hands them out as one columnar batch. */
class Batcher {
  private pending = new Map<string, { ts: number[]; values: (number | null)[] }>();

  add(id: string, ts: number, value: number): void {
    let column = this.pending.get(id);
    if (!column) this.pending.set(id, (column = { ts: [], values: [] }));
    column.ts.push(ts);
    column.values.push(jsonValue(value));
  }

  take(): SeriesSamples[] {
    const out = [...this.pending].map(([id, c]) => ({ id, ...c }));
    this.pending = new Map();
    return out;
  }
}

/**
 * The Telemetry section's backend: the store (opened on first use), live sources (MQTT, Modbus RTU, NMEA from an open
 * serial session), import, export, sessions. `log` receives MQTT payloads that could not be decoded, as text;
 * `serialSession` finds an open serial session by id.
 */
export function createTelemetryHandlers(
  dataDir: string,
  connections: ConnectionRegistry,
  log?: LogSink,
  serialSession: (id: string) => SerialSession | undefined = () => undefined,
): { handlers: TelemetryHandlers; close(): Promise<void> } {
  let opening: Promise<{ store: TelemetryStore; feed: LiveFeed }> | undefined;
  const open = () =>
    (opening ??= TelemetryStore.open(telemetryDirOf(dataDir)).then((store) => ({ store, feed: new LiveFeed(store) })));
  const sessions = new SessionStore(join(dataDir, 'telemetry-sessions.json'));
  const sources = new Map<string, RunningSource>();
  let nextSource = 1;

  const knownSeries = (store: TelemetryStore, ids: readonly string[]) => {
    const known = new Set(store.listSeries().map((s) => s.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw new FieldkitError('not_found', `No telemetry series ${missing.map((id) => `"${id}"`).join(', ')}.`, 'Refresh the series list; it may have been typed wrong.');
  };

  const sourceInfo = (running: RunningSource): TelemetrySource => ({ ...running.info, ...running.counters() });

  const stopSource = async (id: string): Promise<boolean> => {
    const running = sources.get(id);
    if (!running) return false;
    sources.delete(id);
    running.release();
    await running.stop();
    return true;
  };

  const handlers: TelemetryHandlers = {
    'telemetry.series': async () => {
      const { store } = await open();
      return {
        series: store.listSeries().map((s) => ({
          id: s.id,
          ...s.key,
          count: s.count,
          firstTs: jsonValue(s.firstTs),
          lastTs: jsonValue(s.lastTs),
          lastValue: jsonValue(s.lastValue),
        })),
      };
    },

    'telemetry.latest': async ({ ids }) => {
      const { store } = await open();
      const wanted = ids && new Set(ids);
      return { values: store.latest().filter((l) => !wanted || wanted.has(l.id)).map((l) => ({ id: l.id, ts: l.ts, value: jsonValue(l.value) })) };
    },

    'telemetry.range': async ({ id, from, to, limit }) => {
      checkedRange(from, to);
      const { store } = await open();
      knownSeries(store, [id]);
      const { ts, values } = store.range(id, from, to, limit + 1);
      const n = Math.min(ts.length, limit);
      return { id, ts: Array.from(ts.subarray(0, n)), values: jsonValues(values.subarray(0, n)), truncated: ts.length > limit };
    },

    'telemetry.query': async ({ id, from, to, buckets }) => {
      checkedRange(from, to);
      const { store } = await open();
      knownSeries(store, [id]);
      const r = store.downsample(id, from, to, buckets);
      return {
        id,
        from: r.from,
        to: r.to,
        buckets: r.buckets,
        bucketWidth: r.bucketWidth,
        count: Array.from(r.count),
        min: jsonValues(r.min),
        max: jsonValues(r.max),
        avg: jsonValues(r.avg),
        last: jsonValues(r.last),
        m4: { ts: Array.from(r.m4.ts), values: jsonValues(r.m4.values) },
      };
    },

    'telemetry.live': ({ ids }, emit, ctx) => {
      const wanted = new Set(ids);
      const batch = new Batcher();
      let dirty = false;
      let unsubscribe: (() => void) | undefined;
      let stopped = false;
      const listener = (samples: readonly LiveSample[]) => {
        for (const s of samples) {
          if (!wanted.has(s.id)) continue;
          batch.add(s.id, s.ts, s.value);
          dirty = true;
        }
      };
      const timer = setInterval(() => {
        if (!dirty) return;
        dirty = false;
        emit({ samples: batch.take() });
      }, BATCH_MS);
      open()
        .then(({ feed }) => (stopped ? undefined : (unsubscribe = feed.subscribe(listener))))
        .catch((error) => ctx.end(error));
      return () => {
        stopped = true;
        clearInterval(timer);
        unsubscribe?.();
      };
    },

    'telemetry.replay': ({ ids, from, to, speed }, emit, ctx) => {
      let timer: ReturnType<typeof setInterval> | undefined;
      let stopped = false;
      open()
        .then(({ store }) => {
          checkedRange(from, to);
          knownSeries(store, ids);
          if (stopped) return;
          const columns = ids.map((id) => ({ id, ...store.range(id, from, to, RANGE_LIMIT) }));
          const next = columns.map(() => 0);
          const started = Date.now();
          const tick = () => {
            const at = Math.min(to, from + Math.floor((Date.now() - started) * speed));
            const samples: SeriesSamples[] = [];
            columns.forEach((c, i) => {
              const start = next[i]!;
              let end = start;
              while (end < c.ts.length && c.ts[end]! <= at) end++;
              next[i] = end;
              if (end > start) samples.push({ id: c.id, ts: Array.from(c.ts.subarray(start, end)), values: jsonValues(c.values.subarray(start, end)) });
            });
            emit({ samples, at });
            if (at >= to) {
              clearInterval(timer);
              ctx.end();
            }
          };
          timer = setInterval(tick, BATCH_MS);
          tick();
        })
        .catch((error) => ctx.end(error));
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    },

    'telemetry.sources': () => ({ sources: [...sources.values()].map(sourceInfo) }),

    'telemetry.mqtt.start': async (input) => {
      const { feed } = await open();
      const id = `mqtt-${nextSource++}`;
      const info: RunningSource['info'] = { id, kind: 'mqtt', label: mqttLabel(input), device: input.device, startedAt: Date.now(), lastError: null };
      const source = new MqttSource(input, feed, log, (error) => (info.lastError = error.message));
      try {
        await source.start();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new FieldkitError('unavailable', `Could not subscribe at ${input.url}: ${message}`, connectHint(message));
      }
      const running: RunningSource = { info, counters: () => ({ ...source.stats }), stop: () => source.stop(), release: connections.register(`mqtt ${input.url}`) };
      sources.set(id, running);
      return sourceInfo(running);
    },

    'telemetry.modbus.start': async (input) => {
      const { feed } = await open();
      const id = `modbus-${nextSource++}`;
      const info: RunningSource['info'] = { id, kind: 'modbus', label: modbusLabel(input), device: input.devices.map((d) => d.name).join(', '), startedAt: Date.now(), lastError: null };
      let samples = 0;
      const counted = { append: (batch: Parameters<LiveFeed['append']>[0]) => ((samples += batch.length), feed.append(batch)) };
      let poller: ModbusPoller;
      try {
        poller = new ModbusPoller(input, counted, (error) => (info.lastError = error.message));
      } catch (error) {
        throw new FieldkitError('bad_request', (error as Error).message, 'Fix the register map and start again.');
      }
      try {
        await poller.start();
      } catch (error) {
        throw serialOpenError(input.path, error instanceof Error ? error.message : String(error));
      }
      const counters = (): SourceCounters => {
        const devices = input.devices.map((d) => {
          const s = poller.stats.get(d.name)!;
          return { name: d.name, unitId: d.unitId, polls: s.reads, ok: s.ok, timeouts: s.timeouts, crcErrors: s.crcErrors, exceptions: s.exceptions, otherErrors: s.otherErrors, lastError: s.lastError ?? null };
        });
        const sum = (pick: (d: (typeof devices)[number]) => number) => devices.reduce((n, d) => n + pick(d), 0);
        return { messages: sum((d) => d.ok), samples, badPayloads: sum((d) => d.crcErrors + d.exceptions), devices };
      };
      const running: RunningSource = { info, counters, stop: () => poller.stop(), release: connections.register(`modbus ${input.path}`) };
      sources.set(id, running);
      return sourceInfo(running);
    },

    'telemetry.serial.start': async ({ sessionId, device }) => {
      const session = serialSession(sessionId);
      if (!session) throw new FieldkitError('not_found', `No open serial session ${sessionId}.`, 'Open the port in the Console first, then feed it to telemetry.');
      const taken = [...sources.values()].find((r) => r.sessionId === sessionId);
      if (taken) throw new FieldkitError('conflict', `Serial session ${sessionId} already feeds telemetry (${taken.info.id}).`, 'Stop that source first to change its device name.');
      const { feed } = await open();
      const id = `serial-${nextSource++}`;
      const name = device ?? session.device;
      const info: RunningSource['info'] = { id, kind: 'serial', label: `${name} ← nmea ${session.status().path}`, device: name, startedAt: Date.now(), lastError: null };
      const source = new SerialNmeaSource(session, name, feed, (error) => (info.lastError = error.message));
      const onStatus = ({ state }: { state: string }) => void (state === 'closed' && stopSource(id));
      session.on('status', onStatus);
      source.start();
      const running: RunningSource = {
        info,
        counters: () => ({ ...source.stats }),
        stop: async () => {
          session.off('status', onStatus);
          source.stop();
        },
        release: () => undefined,
        sessionId,
      };
      sources.set(id, running);
      return sourceInfo(running);
    },

    'telemetry.source.stop': async ({ id }) => ({ stopped: await stopSource(id) }),

    'telemetry.import': async ({ path, format, device, sensor }) => {
      if (!isAbsolute(path)) throw new FieldkitError('bad_request', `"${path}" is not a full path.`, 'Give the full path of the file on this machine, e.g. /home/me/gps.nmea.');
      const { feed } = await open();
      try {
        return await importFile(path, { format, device, sensor }, feed);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new FieldkitError('not_found', `No file at ${path}.`, 'Check the path; it is read on the machine FieldKit runs on.');
        if (code === 'EISDIR' || code === 'EACCES') throw new FieldkitError('bad_request', `Cannot read ${path} (${code}).`, 'Pick a readable file, not a folder.');
        throw error;
      }
    },

    'telemetry.export': async ({ ids, from, to, path, overwrite }) => {
      checkedRange(from, to);
      if (!isAbsolute(path)) throw new FieldkitError('bad_request', `"${path}" is not a full path.`, 'Give the full path of the CSV file to write, e.g. /home/me/run-3.csv.');
      const { store } = await open();
      knownSeries(store, ids);
      const columns = ids.map((id) => ({ name: id, ...store.range(id, from, to, RANGE_LIMIT) }));
      try {
        const { rows, bytes } = await writeCsv(path, columns, overwrite);
        return { path, rows, bytes };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new FieldkitError('conflict', `${path} already exists.`, 'Choose another file name, or allow replacing it.');
        if (code === 'ENOENT') throw new FieldkitError('not_found', `The folder for ${path} does not exist.`, 'Create the folder first or pick another place.');
        if (code === 'EACCES' || code === 'EISDIR') throw new FieldkitError('bad_request', `Cannot write ${path} (${code}).`, 'Pick a file in a folder you can write to.');
        throw error;
      }
    },

    'telemetry.sessions': async () => ({ sessions: await sessions.list() }),

    'telemetry.session.save': async ({ name, from, to, series }) => {
      checkedRange(from, to);
      knownSeries((await open()).store, series);
      return sessions.save({ name, from, to, series });
    },

    'telemetry.session.delete': async ({ id }) => ({ deleted: await sessions.delete(id) }),
  };

  return {
    handlers,
    async close() {
      await Promise.all([...sources.keys()].map(stopSource));
      if (opening) await (await opening).store.close();
    },
  };
}

