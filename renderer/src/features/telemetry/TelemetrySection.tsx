import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useClient } from '../../app/client-context.js';
import { activityIcon } from '../../ui/icons.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { formatDuration } from '../../app/format.js';
import { formatTime } from './format.js';
import { GpsTrack, gpsPairs } from './GpsTrack.js';
import { LivePlot } from './LivePlot.js';
import { SeriesTree } from './SeriesTree.js';
import { SessionsPanel } from './SessionsPanel.js';
import { AddSource, SourceList } from './SourcesPanel.js';
import { activeBuffers, rightEdge, SPANS, telemetryActions, useTelemetry, type TelemetryActions } from './telemetry-store.js';
import { ValuesTable } from './ValuesTable.js';
import './telemetry.css';

/** New series and source counters show up this often. */
const POLL_MS = 2000;

/** The time range the plot shows right now. */
function shownRange(): { from: number; to: number } {
  const { follow, window, span, checked } = useTelemetry.getState();
  if (!follow && window) return window;
  const to = rightEdge(activeBuffers(), checked);
  return { from: to - span, to };
}

function PlotToolbar({ actions }: { actions: TelemetryActions }) {
  const { follow, span, window, recordingSince, replay } = useTelemetry();
  const [, tick] = useState(0);
  useEffect(() => {
    if (recordingSince === null) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [recordingSince]);
  const pan = (direction: number) => {
    const { from, to } = shownRange();
    const shift = ((to - from) / 2) * direction;
    actions.showWindow(from + shift, to + shift);
  };
  const zoomOut = () => {
    const { from, to } = shownRange();
    const center = (from + to) / 2;
    const half = (to - from) * 2;
    actions.showWindow(center - half, center + half);
  };
  const saveRange = () => {
    const { from, to } = shownRange();
    void actions.saveSession(`Range ${formatTime(from)}`, from, to);
  };
  return (
    <div className="plot-toolbar" role="toolbar" aria-label="Plot">
      <div className="segmented" role="group" aria-label="Window">
        {SPANS.map((s) => (
          <button key={s.label} className={`button${follow && span === s.ms ? ' active' : ''}`} onClick={() => actions.setSpan(s.ms)}>
            {s.label}
          </button>
        ))}
      </div>
      {follow ? (
        <button className="button" onClick={actions.pause}>
          Pause
        </button>
      ) : (
        <button className="button primary" onClick={actions.resume}>
          Live
        </button>
      )}
      <button className="button" onClick={() => pan(-1)} aria-label="Pan left">
        ◀
      </button>
      <button className="button" onClick={() => pan(1)} aria-label="Pan right">
        ▶
      </button>
      <button className="button" onClick={zoomOut}>
        Zoom out
      </button>
      <span className="muted plot-range">
        {!follow && window ? `${formatTime(window.from)} – ${formatTime(window.to)} (drag on the plot to zoom)` : replay ? 'replaying' : 'following live data · drag on the plot to zoom'}
      </span>
      <span className="status-spacer" />
      {!replay &&
        (recordingSince === null ? (
          <>
            {!follow && (
              <button className="button" onClick={saveRange}>
                Save range as session
              </button>
            )}
            <button className="button" onClick={actions.startRecording}>
              ● Record
            </button>
          </>
        ) : (
          <button className="button recording" onClick={() => void actions.saveSession(`Session ${formatTime(recordingSince)}`, recordingSince, Date.now())}>
            ■ Stop recording ({formatDuration((Date.now() - recordingSince) / 1000)})
          </button>
        ))}
    </div>
  );
}

function ExportForm({ actions, dataDir }: { actions: TelemetryActions; dataDir: string }) {
  const [open, setOpen] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { from, to } = shownRange();
    void actions.exportCsv(String(new FormData(event.currentTarget).get('path')).trim(), from, to);
    setOpen(false);
  };
  if (!open)
    return (
      <button className="button" onClick={() => setOpen(true)}>
        Export CSV…
      </button>
    );
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return (
    <form className="export-form" onSubmit={submit} aria-label="Export CSV">
      <label>
        CSV file to write
        <input name="path" required defaultValue={`${dataDir}/telemetry-${stamp}.csv`} size={60} />
      </label>
      <button className="button primary" type="submit">
        Export shown range
      </button>
      <button className="link-button" type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

export function TelemetrySection() {
  const client = useClient();
  const actions = useMemo(() => telemetryActions(client), [client]);
  const state = useTelemetry();
  const [dataDir, setDataDir] = useState('');
  const [showAdd, setShowAdd] = useState(false);

  useEffect(() => {
    void actions.refresh();
    void client.call('app.info', {}).then((info) => setDataDir(info.dataDir));
    const timer = setInterval(() => void actions.refreshSources().catch(() => undefined), POLL_MS);
    actions.syncLive();
    return () => {
      clearInterval(timer);
      actions.dispose();
    };
  }, [actions, client]);

  const plotted = useMemo(() => state.checked.map((id) => state.series.find((s) => s.id === id)).filter((s) => s !== undefined), [state.checked, state.series]);
  const gps = gpsPairs(plotted)[0];
  const unplottedGps = gps ? undefined : gpsPairs(state.series)[0];
  const banners = (
    <>
      {state.error && (
        <div className="banner error" role="alert">
          {state.error}
          <button className="link-button" onClick={() => useTelemetry.setState({ error: null })}>
            Dismiss
          </button>
        </div>
      )}
      {state.notice && (
        <div className="banner notice" role="status">
          {state.notice}
          <button className="link-button" onClick={() => useTelemetry.setState({ notice: null })}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );

  if (state.loaded && state.series.length === 0 && state.sources.length === 0) {
    return (
      <>
        {banners}
        <EmptyState
          icon={activityIcon}
          title="No sensor streams"
          steps={[
            <>An MQTT broker on the gateway: subscribe to its topics and map JSON payload fields to series.</>,
            <>A recorded session (NMEA 0183, CSV, JSON or key=value lines): import the file to plot and replay it.</>,
            <>Everything is kept in the local telemetry store, for replay and export with no network.</>,
          ]}
          actions={<AddSource actions={actions} />}
        >
          Live values are plotted, recorded and kept for replay when you are back at the office.
        </EmptyState>
      </>
    );
  }

  return (
    <div className="telemetry">
      <aside className="telemetry-side">
        <SeriesTree series={state.series} checked={state.checked} onToggle={actions.toggle} />
        <h3>Sessions</h3>
        <SessionsPanel sessions={state.sessions} actions={actions} />
      </aside>
      <div className="telemetry-main">
        {banners}
        <div className="telemetry-toolbar">
          <SourceList sources={state.sources} actions={actions} />
          <span className="status-spacer" />
          {plotted.length > 0 && <ExportForm actions={actions} dataDir={dataDir} />}
          <button className="button" onClick={() => setShowAdd((v) => !v)} aria-expanded={showAdd}>
            Add source…
          </button>
        </div>
        {showAdd && <AddSource actions={actions} onDone={() => setShowAdd(false)} />}
        {state.replay && (
          <div className="banner replay" role="status">
            {state.replay.done ? 'Replayed' : 'Replaying'} “{state.replay.session.name}” at {state.replay.speed}× · {formatTime(state.replay.at)}
            <button className="button" onClick={actions.endReplay}>
              Back to live
            </button>
          </div>
        )}
        {plotted.length === 0 ? (
          <p className="muted telemetry-hint">Tick series in the tree to plot them{unplottedGps ? '' : '.'}</p>
        ) : (
          <>
            <PlotToolbar actions={actions} />
            <LivePlot series={plotted} actions={actions} />
            <div className="telemetry-lower">
              <ValuesTable series={plotted} />
              {gps && <GpsTrack pair={gps} />}
            </div>
          </>
        )}
        {unplottedGps && (
          <button className="link-button" onClick={() => actions.toggle([unplottedGps.lat.id, unplottedGps.lon.id], true)}>
            Show the GPS track of {unplottedGps.label}
          </button>
        )}
      </div>
    </div>
  );
}
