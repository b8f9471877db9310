import { messageOf } from '../../app/format.js';
import { create } from 'zustand';
import type { FieldkitClient } from '../../../../shared/contract/client.js';
import type { PortInfo, SerialLineSettings, SerialSessionStatus, StreamEvent } from '../../../../shared/contract/index.js';
import { DEFAULT_LINE_SETTINGS, type TransferProtocol } from '../../../../shared/contract/serial-options.js';
import { toBase64 } from './terminal-format.js';

export interface ViewPrefs {
  localEcho: boolean;
  hex: boolean;
  timestamps: boolean;
}

export type TransferEvent = StreamEvent<'serial.sendFile'>;

export interface TransferState {
  protocol: TransferProtocol;
  path: string;
  last: TransferEvent | null;
  error: string | null;
  /** Stops the transfer (the backend sends CAN CAN to the receiver). */
  cancel: (() => void) | null;
}

export interface ConsoleTab {
  id: string;
  status: SerialSessionStatus;
  view: ViewPrefs;
  transfer: TransferState | null;
  /** The last failed action on this tab, for the technician to read. */
  error: string | null;
  notice: string | null;
  /** Multi-line text waiting for the technician's confirmation before it is sent. */
  pendingPaste: string | null;
}

/** The tab that opens a new console. */
export const NEW_TAB = 'new';

interface ConsoleState {
  /** Null until the first listing arrives. */
  ports: PortInfo[] | null;
  portsError: string | null;
  tabs: ConsoleTab[];
  active: string;
  drawerOpen: boolean;
  /** Settings and view for the next console opened; remembered across runs. */
  draft: SerialLineSettings & { autoBaud: boolean };
  draftView: ViewPrefs;
  opening: boolean;
  openError: string | null;
}

const PREFS_KEY = 'fieldkit.console.prefs';
/** Up to 4 UTF-8 bytes per char: 64K chars stay under the contract's per-write limit once base64-encoded. */
const WRITE_CHUNK_CHARS = 1 << 16;
const DEFAULT_VIEW: ViewPrefs = { localEcho: false, hex: false, timestamps: false };

function loadPrefs(): Pick<ConsoleState, 'draft' | 'draftView'> {
  const fallback = { draft: { ...DEFAULT_LINE_SETTINGS, autoBaud: false }, draftView: DEFAULT_VIEW };
  try {
    const saved = JSON.parse(localStorage.getItem(PREFS_KEY) ?? 'null') as Partial<typeof fallback> | null;
    return { draft: { ...fallback.draft, ...saved?.draft }, draftView: { ...fallback.draftView, ...saved?.draftView } };
  } catch {
    return fallback;
  }
}

export const useConsole = create<ConsoleState>()(() => ({
  ports: null,
  portsError: null,
  tabs: [],
  active: NEW_TAB,
  drawerOpen: false,
  ...loadPrefs(),
  opening: false,
  openError: null,
}));


export function updateTab(id: string, change: Partial<ConsoleTab> | ((tab: ConsoleTab) => Partial<ConsoleTab>)): void {
  useConsole.setState((s) => ({ tabs: s.tabs.map((t) => (t.id === id ? { ...t, ...(typeof change === 'function' ? change(t) : change) } : t)) }));
}

export function setDraft(change: Partial<ConsoleState['draft']>, view?: Partial<ViewPrefs>): void {
  useConsole.setState((s) => {
    const next = { draft: { ...s.draft, ...change }, draftView: { ...s.draftView, ...view } };
    localStorage.setItem(PREFS_KEY, JSON.stringify(next));
    return next;
  });
}

const tabFor = (status: SerialSessionStatus, view: ViewPrefs): ConsoleTab => ({
  id: status.id, status, view, transfer: null, error: null, notice: null, pendingPaste: null,
});

/** The backend calls behind the Console section; every action reads and writes the one store. */
export function consoleActions(client: FieldkitClient) {
  const { setState: set, getState: get } = useConsole;

  /** Runs one call for a tab; a failure lands in the tab's error line instead of being thrown. */
  async function onTab<T>(id: string, work: () => Promise<T>): Promise<T | undefined> {
    updateTab(id, { error: null });
    try {
      return await work();
    } catch (error) {
      updateTab(id, { error: messageOf(error) });
      return undefined;
    }
  }

  async function detectBaud(id: string): Promise<void> {
    updateTab(id, { notice: 'Detecting the baud rate…' });
    const verdict = await onTab(id, () => client.call('serial.detectBaud', { sessionId: id, probe: '\r' }));
    if (!verdict) return updateTab(id, { notice: null });
    updateTab(id, {
      status: verdict.status,
      notice: verdict.baudRate ? `Baud rate detected: ${verdict.baudRate}` : `No rate gave readable text; kept ${verdict.status.settings.baudRate}. Make the device print something (press Enter, reset it) and try again.`,
    });
  }

  return {
    /** Keeps the port list current (hot-plug). Returns the function that stops watching. */
    watchPorts(): () => void {
      return client.subscribe('serial.watchPorts', {}, {
        next: ({ ports }) => set({ ports, portsError: null }),
        end: (error) => error && set({ portsError: error.message }),
      });
    },

    /** Tabs for sessions the backend still holds (opened before this window, or before the section was left). */
    async restore(): Promise<void> {
      const { sessions } = await client.call('serial.sessions', {});
      const known = new Set(get().tabs.map((t) => t.id));
      const fresh = sessions.filter((s) => !known.has(s.id)).map((s) => tabFor(s, get().draftView));
      if (fresh.length) set((s) => ({ tabs: [...s.tabs, ...fresh], active: s.active === NEW_TAB && s.tabs.length === 0 ? fresh[0]!.id : s.active }));
    },

    async open(path: string): Promise<void> {
      const { draft, draftView } = get();
      const { autoBaud, ...settings } = draft;
      set({ opening: true, openError: null });
      try {
        const status = await client.call('serial.open', { path, settings });
        set((s) => ({ tabs: [...s.tabs, tabFor(status, draftView)], active: status.id, opening: false }));
        if (autoBaud) await detectBaud(status.id);
      } catch (error) {
        set({ opening: false, openError: messageOf(error) });
      }
    },

    async close(id: string): Promise<void> {
      get().tabs.find((t) => t.id === id)?.transfer?.cancel?.();
      await onTab(id, () => client.call('serial.close', { sessionId: id }));
      set((s) => {
        const index = s.tabs.findIndex((t) => t.id === id);
        const tabs = s.tabs.filter((t) => t.id !== id);
        const active = s.active !== id ? s.active : (tabs[Math.max(0, index - 1)]?.id ?? NEW_TAB);
        return { tabs, active };
      });
    },

    setStatus: (id: string, status: SerialSessionStatus) => updateTab(id, { status }),

    /** Sends text in pieces small enough for one message each, in order. */
    write: (id: string, text: string) =>
      onTab(id, async () => {
        for (let at = 0; at < text.length; ) {
          let end = Math.min(at + WRITE_CHUNK_CHARS, text.length);
          if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end--; // keep surrogate pairs whole
          await client.call('serial.write', { sessionId: id, data: toBase64(text.slice(at, end)) });
          at = end;
        }
      }),

    configure: (id: string, settings: Partial<SerialLineSettings>) =>
      onTab(id, async () => updateTab(id, { status: await client.call('serial.configure', { sessionId: id, settings }) })),

    setSignals: (id: string, signals: { dtr?: boolean; rts?: boolean }) =>
      onTab(id, async () => updateTab(id, { status: await client.call('serial.setSignals', { sessionId: id, ...signals }) })),

    sendBreak: (id: string) => onTab(id, async () => (await client.call('serial.sendBreak', { sessionId: id }), updateTab(id, { notice: 'BREAK sent' }))),

    detectBaud,

    exportCapture: (id: string, format: 'raw' | 'text', path: string) =>
      onTab(id, async () => {
        const done = await client.call('serial.export', { sessionId: id, format, path });
        updateTab(id, { notice: `Exported ${done.bytes} bytes to ${done.path}` });
      }),

    sendFile(id: string, protocol: TransferProtocol, path: string): void {
      const setTransfer = (change: Partial<TransferState>) => updateTab(id, (t) => ({ transfer: t.transfer && { ...t.transfer, ...change } }));
      updateTab(id, { transfer: { protocol, path, last: null, error: null, cancel: null }, error: null });
      let ended = false;
      const stop = client.subscribe('serial.sendFile', { sessionId: id, protocol, paths: [path] }, {
        next: (event) => setTransfer({ last: event }),
        end: (error) => {
          ended = true;
          setTransfer({ cancel: null, error: error ? error.message : null });
        },
      });
      if (!ended) {
        setTransfer({
          cancel: () => {
            stop();
            setTransfer({ cancel: null, error: 'Cancelled' });
          },
        });
      }
    },
  };
}

export type ConsoleActions = ReturnType<typeof consoleActions>;
