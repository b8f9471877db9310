import { create } from 'zustand';
import { messageOf } from '../../app/format.js';
import { alignedWindow } from '../../../../shared/telemetry/downsample.js';
import type { FieldkitClient } from '../../../../shared/contract/client.js';
import type { SerialSessionStatus } from '../../../../shared/contract/serial.js';
import type { IMPORT_FORMATS, ModbusSourceInput, MqttSourceInput, SerialSourceInput, TelemetryImportSummary, TelemetrySeries, TelemetrySession, TelemetrySource } from '../../../../shared/contract/telemetry.js';
import { PlotBuffers } from './plot-buffers.js';
import { RING_CAPACITY, type Segment } from './plot-data.js';

const HOUR = 3_600_000;
/** The longest live window drawn from the samples held here; wider windows come from the store's rollups. */
export const LOCAL_SPAN = HOUR;
export const SPANS = [
  { label: '1m', ms: 60_000 },
  { label: '5m', ms: 300_000 },
  { label: '15m', ms: 900_000 },
  { label: '1h', ms: HOUR },
  { label: '6h', ms: 6 * HOUR },
  { label: '24h', ms: 24 * HOUR },
  { label: '7d', ms: 168 * HOUR },
] as const;
/** Buckets of the history fetched when a series is first plotted. */
const SEED_BUCKETS = 2000;
const MAX_PLOTTED = 200;

export interface Replay {
  session: TelemetrySession;
  speed: number;
  /** The recorded time played up to. */
  at: number;
  done: boolean;
}

interface TelemetryState {
  series: TelemetrySeries[];
  loaded: boolean;
  /** Plotted series, in the order they were picked (it sets their colours). */
  checked: string[];
  sources: TelemetrySource[];
  sessions: TelemetrySession[];
  /** Following the newest data, or frozen on a window the technician paused, panned or zoomed to. */
  follow: boolean;
  span: number;
  window: { from: number; to: number } | null;
  replay: Replay | null;
  recordingSince: number | null;
  error: string | null;
  notice: string | null;
}

export const useTelemetry = create<TelemetryState>()(() => ({
  series: [],
  loaded: false,
  checked: [],
  sources: [],
  sessions: [],
  follow: true,
  span: 300_000,
  window: null,
  replay: null,
  recordingSince: null,
  error: null,
  notice: null,
}));

/** What the plot shows: live samples, or what a replay has played so far. */
export const liveBuffers = new PlotBuffers();
let replayBuffers = new PlotBuffers();
export const activeBuffers = (): PlotBuffers => (useTelemetry.getState().replay ? replayBuffers : liveBuffers);

/** The backend calls behind the Telemetry section. */
export function telemetryActions(client: FieldkitClient) {
  const { setState: set, getState: get } = useTelemetry;
  const seeded = new Set<string>();
  let stopLive: (() => void) | undefined;
  let liveKey = '';
  let stopReplay: (() => void) | undefined;

  const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      set({ error: messageOf(error) });
      return undefined;
    }
  };

  /** History for a newly plotted series: the raw last hour when it fits in the ring, else its M4 selection. */
  async function seed(id: string): Promise<void> {
    seeded.add(id);
    const info = get().series.find((s) => s.id === id);
    if (!info || info.lastTs === null) return;
    const to = Math.max(info.lastTs + 1, Date.now());
    const from = to - LOCAL_SPAN;
    const raw = await client.call('telemetry.range', { id, from, to, limit: RING_CAPACITY });
    if (!raw.truncated) return liveBuffers.seed(id, raw.ts, raw.values, from);
    const r = await client.call('telemetry.query', { id, from, to, buckets: SEED_BUCKETS });
    liveBuffers.seed(id, r.m4.ts, r.m4.values);
  }

  /** Starts a source, says so, and refreshes the lists; true when the source runs. */
  async function startSource(start: () => Promise<TelemetrySource>, verb: string): Promise<boolean> {
    set({ error: null });
    const source = await attempt(start);
    if (source) set({ notice: `${verb}: ${source.label}` });
    await actions.refresh();
    return source !== undefined;
  }

  const actions = {
    async refresh(): Promise<void> {
      await attempt(async () => {
        const [{ series }, { sources }, { sessions }] = await Promise.all([
          client.call('telemetry.series', {}),
          client.call('telemetry.sources', {}),
          client.call('telemetry.sessions', {}),
        ]);
        set({ series, sources, sessions, loaded: true });
      });
    },

    setChecked(ids: string[]): void {
      set({ checked: ids.slice(0, MAX_PLOTTED) });
      actions.syncLive();
    },

    toggle(ids: string[], on: boolean): void {
      const checked = get().checked;
      actions.setChecked(on ? [...checked, ...ids.filter((id) => !checked.includes(id))] : checked.filter((id) => !ids.includes(id)));
    },

    /** One live subscription for the plotted series; history for newly plotted ones comes from the store. */
    syncLive(): void {
      const ids = get().checked;
      const key = ids.join('\n');
      if (key === liveKey) return;
      liveKey = key;
      stopLive?.();
      stopLive = undefined;
      if (ids.length === 0) return;
      stopLive = client.subscribe('telemetry.live', { ids }, {
        next: ({ samples }) => liveBuffers.add(samples),
        end: (error) => {
          if (error) set({ error: `Live data stopped: ${error.message}` });
          liveKey = '';
        },
      });
      for (const id of ids) if (!seeded.has(id)) void attempt(() => seed(id));
    },

    /** Stops the streams; the samples held go too, since nothing fills them while the section is closed. */
    dispose(): void {
      stopLive?.();
      stopReplay?.();
      stopLive = stopReplay = undefined;
      liveKey = '';
      liveBuffers.clear();
      seeded.clear();
      set({ replay: null });
    },

    /** The M4 selection of each series over a window, from the store's rollups (buckets widened onto the 1 s grid). */
    async fetchWindow(ids: readonly string[], from: number, to: number, buckets: number): Promise<Map<string, Segment>> {
      const window = alignedWindow(Math.floor(from), Math.ceil(to), buckets);
      const results = await Promise.all(ids.map((id) => client.call('telemetry.query', { id, ...window })));
      return new Map(results.map((r) => [r.id, { ts: r.m4.ts, values: r.m4.values.map((v) => v ?? NaN) }]));
    },

    setSpan(span: number): void {
      set({ span, follow: true, window: null });
    },
    pause(): void {
      const { span, checked } = get();
      const right = rightEdge(activeBuffers(), checked);
      set({ follow: false, window: { from: right - span, to: right } });
    },
    resume(): void {
      set({ follow: true, window: null });
    },
    showWindow(from: number, to: number): void {
      if (to > from) set({ follow: false, window: { from, to } });
    },

    startMqtt(input: MqttSourceInput): Promise<boolean> {
      return startSource(() => client.call('telemetry.mqtt.start', input), 'Subscribed');
    },
    startModbus(input: ModbusSourceInput): Promise<boolean> {
      return startSource(() => client.call('telemetry.modbus.start', input), 'Polling');
    },
    startSerial(input: SerialSourceInput): Promise<boolean> {
      return startSource(() => client.call('telemetry.serial.start', input), 'Decoding NMEA');
    },
    /** Serial sessions open in the Console, which a serial source can read. */
    async serialSessions(): Promise<SerialSessionStatus[]> {
      return (await attempt(() => client.call('serial.sessions', {})))?.sessions ?? [];
    },
    async stopSource(id: string): Promise<void> {
      await attempt(() => client.call('telemetry.source.stop', { id }));
      await actions.refresh();
    },
    async refreshSources(): Promise<void> {
      const [{ sources }, { series }] = await Promise.all([client.call('telemetry.sources', {}), client.call('telemetry.series', {})]);
      set({ sources, series });
    },

    async importFile(input: { path: string; format: (typeof IMPORT_FORMATS)[number]; device: string; sensor?: string }): Promise<TelemetryImportSummary | undefined> {
      set({ error: null });
      const summary = await attempt(() => client.call('telemetry.import', input));
      if (summary) {
        set({ notice: `Imported ${summary.samples} samples into ${summary.series.length} series from ${summary.lines} lines${summary.badLines ? ` (${summary.badLines} bad lines)` : ''}.` });
        await actions.refresh();
      }
      return summary;
    },

    async exportCsv(path: string, from: number, to: number): Promise<void> {
      const ids = get().checked;
      set({ error: null });
      const r = await attempt(() => client.call('telemetry.export', { ids, from: Math.floor(from), to: Math.ceil(to), path, overwrite: false }));
      if (r) set({ notice: `Wrote ${r.rows} rows (${ids.length} series) to ${r.path}.` });
    },

    startRecording(): void {
      set({ recordingSince: Date.now() });
    },
    async saveSession(name: string, from: number, to: number): Promise<void> {
      const series = get().checked;
      set({ recordingSince: null });
      const session = await attempt(() => client.call('telemetry.session.save', { name, from: Math.floor(from), to: Math.ceil(to), series }));
      if (session) set({ sessions: [session, ...get().sessions], notice: `Recorded "${session.name}".` });
    },
    async deleteSession(id: string): Promise<void> {
      await attempt(() => client.call('telemetry.session.delete', { id }));
      set({ sessions: get().sessions.filter((s) => s.id !== id) });
    },

    /** Plays a recorded session back into the plot at `speed` times real time. */
    startReplay(session: TelemetrySession, speed: number): void {
      stopReplay?.();
      replayBuffers = new PlotBuffers();
      set({ replay: { session, speed, at: session.from, done: false }, checked: session.series, follow: true, window: null, span: Math.min(get().span, session.to - session.from) });
      const stop = client.subscribe('telemetry.replay', { ids: session.series, from: session.from, to: session.to, speed }, {
        next: ({ samples, at }) => {
          replayBuffers.add(samples);
          const replay = get().replay;
          if (replay?.session.id === session.id) set({ replay: { ...replay, at } });
        },
        end: (error) => {
          const replay = get().replay;
          if (replay?.session.id === session.id) set({ replay: { ...replay, done: true }, ...(error && { error: `Replay stopped: ${error.message}` }) });
        },
      });
      stopReplay = stop;
    },
    endReplay(): void {
      stopReplay?.();
      stopReplay = undefined;
      set({ replay: null, follow: true, window: null });
      actions.syncLive();
    },
  };
  return actions;
}

export type TelemetryActions = ReturnType<typeof telemetryActions>;

/**
 * The right edge of a following plot: the wall clock while data is current (a smooth slide), else the newest
 * sample (a recording from another day, or a device whose clock is off) so the data stays in view.
 */
export function rightEdge(buffers: PlotBuffers, ids: readonly string[], now = Date.now()): number {
  const replay = useTelemetry.getState().replay;
  if (replay) return replay.at;
  const newest = buffers.newest(ids);
  return newest === -Infinity || Math.abs(now - newest) < 5 * 60_000 ? now : newest + 1;
}
