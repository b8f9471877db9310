import type { TelemetrySession } from '../../../../shared/contract/telemetry.js';
import { formatDuration } from '../../app/format.js';
import { formatTime } from './format.js';
import type { TelemetryActions } from './telemetry-store.js';

/** Recorded sessions, each replayable into the plot at 1x or 10x. */
export function SessionsPanel({ sessions, actions }: { sessions: TelemetrySession[]; actions: TelemetryActions }) {
  if (sessions.length === 0) return <p className="muted sessions-empty">No recorded sessions. Press Record, or pause on a range and save it.</p>;
  return (
    <ul className="sessions" aria-label="Recorded sessions">
      {sessions.map((s) => (
        <li key={s.id}>
          <div>
            <strong>{s.name}</strong>
            <div className="muted">
              {formatTime(s.from)} · {formatDuration((s.to - s.from) / 1000)} · {s.series.length} series
            </div>
          </div>
          <div className="session-actions">
            <button className="button" onClick={() => actions.startReplay(s, 1)} aria-label={`Replay ${s.name} at 1x`}>
              ▶ 1×
            </button>
            <button className="button" onClick={() => actions.startReplay(s, 10)} aria-label={`Replay ${s.name} at 10x`}>
              ▶ 10×
            </button>
            <button className="link-button" onClick={() => void actions.deleteSession(s.id)} aria-label={`Delete ${s.name}`}>
              Delete
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
