import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../../app/client-context.js';
import { logsIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { Facets } from './Facets.js';
import { formatCount } from './format.js';
import { Histogram } from './Histogram.js';
import { ImportPanel } from './ImportPanel.js';
import { logsActions, useLogs } from './logs-store.js';
import { QueryBar } from './QueryBar.js';
import { ResultList } from './ResultList.js';

export function LogsSection() {
  const client = useClient();
  const actions = useMemo(() => logsActions(client), [client]);
  const state = useLogs();
  const [showImport, setShowImport] = useState(false);
  const cancelImport = useRef<() => void>(undefined);
  const stopTail = useRef<() => void>(undefined);

  useEffect(() => {
    void actions.search(useLogs.getState().query);
    return () => stopTail.current?.();
  }, [actions]);

  const startImport = (paths: string[], device?: string) => {
    cancelImport.current = actions.import(paths, device, () => void actions.search(useLogs.getState().query));
  };
  const toggleTail = () => {
    if (stopTail.current) {
      stopTail.current();
      stopTail.current = undefined;
    } else stopTail.current = actions.tail(state.query);
  };
  const narrow = (field: string, value: string) => {
    const term = /[\s"]/.test(value) ? `${field}:"${value}"` : `${field}:${value}`;
    void actions.search(`${state.query} ${term}`.trim());
  };
  const importPanel = <ImportPanel onImport={startImport} onCancel={() => cancelImport.current?.()} />;

  if (state.stats?.rows === 0 && !state.query && !state.importing) {
    return (
      <EmptyState
        icon={logsIcon}
        title="The log index is empty"
        steps={[
          <>Open a serial console or an SSH session: what the gateway prints lands here automatically.</>,
          <>Have a diagnostic bundle? Import a <code>.tar.gz</code>, <code>.zip</code>, a folder or a single log file below.</>,
          <>Search works offline: words, <code>"phrases"</code>, <code>device:gw-17</code>, <code>level&gt;=warn</code>, <code>last 15m</code>.</>,
        ]}
        actions={importPanel}
      >
        Every byte FieldKit sees is kept in a local index on this laptop, searchable in milliseconds.
      </EmptyState>
    );
  }

  return (
    <div className="logs">
      <QueryBar onSearch={() => void actions.search()} tail={state.tail} onToggleTail={toggleTail} />
      <div className="logs-toolbar">
        <span data-testid="logs-total">
          {state.total === null ? '…' : `${formatCount(state.total)} ${state.total === 1 ? 'match' : 'matches'}`}
          {state.stats && ` of ${formatCount(state.stats.rows)} records`}
        </span>
        {state.loading && <span className="muted">searching…</span>}
        <span className="status-spacer" />
        <button className="button" onClick={() => setShowImport((v) => !v)} aria-expanded={showImport}>
          Import…
        </button>
      </div>
      {(showImport || state.importing || state.lastImport) && importPanel}
      {state.error && (
        <div className="banner error" role="alert">
          {state.error}
        </div>
      )}
      {state.stats && state.stats.damage.length > 0 && (
        <div className="banner error" role="alert">
          Damaged index data was set aside; everything else is searchable. {state.stats.damage.join('; ')}
        </div>
      )}
      {state.histogram && <Histogram data={state.histogram} zoomed={state.range !== null} onZoom={(range) => void actions.zoom(range)} />}
      <div className="logs-body">
        {state.facets && <Facets data={state.facets} onPick={narrow} />}
        <ResultList hits={state.hits} query={state.query} hasMore={state.cursor !== null} onNearEnd={() => void actions.loadMore()} />
      </div>
    </div>
  );
}
