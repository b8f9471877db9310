import { messageOf } from '../../app/format.js';
import { create } from 'zustand';
import type { FieldkitClient } from '../../../../shared/contract/client.js';
import type { ImportProgress, ImportSummary, LogHit, LogsStats, MethodOutput } from '../../../../shared/contract/index.js';

export type Histogram = MethodOutput<'logs.histogram'>;
export type Facets = MethodOutput<'logs.facets'>;
export interface TimeRange {
  fromNs: string;
  toNs: string;
}

const PAGE = 500;
const MAX_LIVE_ROWS = 100_000;
const HISTORY_KEY = 'fieldkit.logs.history';

interface LogsState {
  /** What is in the query bar; `query` is what the results show. */
  draft: string;
  query: string;
  range: TimeRange | null;
  hits: LogHit[];
  cursor: string | null;
  total: number | null;
  histogram: Histogram | null;
  facets: Facets | null;
  stats: LogsStats | null;
  loading: boolean;
  error: string | null;
  tail: boolean;
  history: string[];
  importing: ImportProgress | 'starting' | null;
  lastImport: ImportSummary | null;
  importError: string | null;
  setDraft(draft: string): void;
}

export const useLogs = create<LogsState>()((set) => ({
  draft: '',
  query: '',
  range: null,
  hits: [],
  cursor: null,
  total: null,
  histogram: null,
  facets: null,
  stats: null,
  loading: false,
  error: null,
  tail: false,
  history: JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]') as string[],
  importing: null,
  lastImport: null,
  importError: null,
  setDraft: (draft) => set({ draft }),
}));

let generation = 0;

/** The backend calls behind the Logs section; every action reads and writes the one store. */
export function logsActions(client: FieldkitClient) {
  const { setState: set, getState: get } = useLogs;

  async function run(query: string, range: TimeRange | null): Promise<void> {
    const mine = ++generation;
    set({ query, range, loading: true, error: null });
    const scope = { query, ...(range ?? {}) };
    try {
      const [page, count, histogram, facets, stats] = await Promise.all([
        client.call('logs.search', { ...scope, limit: PAGE }),
        client.call('logs.count', scope),
        client.call('logs.histogram', { ...scope, buckets: 120 }),
        client.call('logs.facets', scope),
        client.call('logs.stats', {}),
      ]);
      if (mine !== generation) return;
      set({ hits: page.hits, cursor: page.cursor, total: count.count, histogram, facets, stats, loading: false });
    } catch (error) {
      if (mine === generation) set({ loading: false, error: messageOf(error), hits: [], cursor: null, total: null, histogram: null, facets: null });
    }
  }

  return {
    search(query = get().draft.trim()) {
      const history = [query, ...get().history.filter((q) => q !== query)].slice(0, 30);
      if (query) localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
      set({ draft: query, history: query ? history : get().history });
      return run(query, get().range);
    },

    zoom: (range: TimeRange | null) => run(get().query, range),

    async loadMore() {
      const { cursor, query, range, loading } = get();
      if (!cursor || loading) return;
      const mine = generation;
      set({ loading: true });
      try {
        const page = await client.call('logs.search', { query, ...(range ?? {}), limit: PAGE, cursor });
        if (mine === generation) set({ hits: [...get().hits, ...page.hits], cursor: page.cursor, loading: false });
      } catch (error) {
        if (mine === generation) set({ loading: false, error: messageOf(error) });
      }
    },

    /** Live tail: new matches go on top while it is on. Returns the function that stops it. */
    tail(query: string) {
      set({ tail: true });
      const stop = client.subscribe('logs.tail', { query }, {
        next: ({ hits }) => {
          const newest = [...hits].reverse();
          set((s) => ({ hits: [...newest, ...s.hits].slice(0, MAX_LIVE_ROWS), total: (s.total ?? 0) + hits.length }));
        },
        end: (error) => set({ tail: false, error: error ? error.message : null }),
      });
      return () => {
        stop();
        set({ tail: false });
      };
    },

    /** Imports files from this machine; resolves when done. Returns the cancel function at once. */
    import(paths: string[], device: string | undefined, onDone: () => void): () => void {
      set({ importing: 'starting', importError: null, lastImport: null });
      return client.subscribe('logs.import', { paths, ...(device ? { device } : {}) }, {
        next: (event) => (event.type === 'progress' ? set({ importing: event }) : set({ lastImport: event })),
        end: (error) => {
          set({ importing: null, importError: error ? error.message : null });
          onDone();
        },
      });
    },
  };
}
