import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { PodView } from '../../../../shared/contract/cluster.js';
import { useClient } from '../../app/client-context.js';
import { withHint } from '../../app/format.js';
import { useShell } from '../../app/store.js';
import { useLogs } from '../logs/logs-store.js';
import { useCluster } from './cluster-store.js';

type Line = { ts?: string; text: string };
/** Lines kept on screen; every line also goes into the log index, where the rest stays searchable. */
const MAX_LINES = 5_000;
const TAIL = 1_000;

/** `2026-11-28T15:33:50.846000037Z` → local `15:33:50.846`; the full instant is in the tooltip. */
function clockTime(instant: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
}

/** The container's log: the last lines, then new ones while following. */
export function PodLogs({ pod, container, picker }: { pod: PodView; container: string; picker: ReactNode }) {
  const client = useClient();
  const contextId = useCluster((s) => s.contextId)!;
  const [options, setOptions] = useState<LogOptions>({ follow: true, previous: false, timestamps: true });
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState<{ ended: boolean; indexed?: number; error?: string }>({ ended: false });
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    setLines([]);
    setStatus({ ended: false });
    atBottom.current = true;
    return client.subscribe(
      'cluster.logs',
      { contextId, namespace: pod.namespace, pod: pod.name, container, ...options, tailLines: TAIL },
      {
        next(event) {
          if (event.type === 'lines') setLines((old) => (old.length + event.lines.length > MAX_LINES ? [...old, ...event.lines].slice(-MAX_LINES) : [...old, ...event.lines]));
          else setStatus({ ended: true, indexed: event.indexed });
        },
        end: (error) => error && setStatus({ ended: true, error: withHint(error) }),
      },
    );
  }, [client, contextId, pod.namespace, pod.name, container, options]);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const toggle = (name: keyof LogOptions) => setOptions((o) => ({ ...o, [name]: !o[name] }));
  const searchInLogs = () => {
    const query = `pod:${pod.name}${container ? ` container:${container}` : ''}`;
    useLogs.setState({ query, draft: query, range: null });
    useShell.getState().go('logs');
  };

  return (
    <div className="pod-logs">
      <div className="drawer-toolbar">
        {picker}
        <label className="checkbox">
          <input type="checkbox" checked={options.follow} onChange={() => toggle('follow')} /> Follow
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={options.previous} onChange={() => toggle('previous')} /> Previous container
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={options.timestamps} onChange={() => toggle('timestamps')} /> Timestamps
        </label>
        <span className="status-spacer" />
        <button className="link-button" onClick={searchInLogs}>
          Search in Logs
        </button>
      </div>
      <div
        className="log-lines"
        ref={box}
        role="log"
        aria-label={`Logs of ${pod.name}`}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        {lines.map((line, i) => (
          <div key={i} className="log-line">
            {options.timestamps && line.ts && (
              <span className="log-line-ts" title={line.ts}>
                {clockTime(line.ts)}
              </span>
            )}
            {line.text}
          </div>
        ))}
        {lines.length === 0 && !status.error && <div className="muted">{status.ended ? 'No log lines.' : 'Waiting for log lines…'}</div>}
      </div>
      <p className="muted drawer-foot" role="status">
        {status.error ? (
          <span className="bad-text">{status.error}</span>
        ) : status.ended ? (
          `End of log${status.indexed !== undefined ? ` · ${status.indexed} lines indexed` : ''}.`
        ) : options.follow ? (
          `Following · ${lines.length} lines`
        ) : (
          `${lines.length} lines`
        )}
      </p>
    </div>
  );
}
