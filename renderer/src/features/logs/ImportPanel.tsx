import { useState } from 'react';
import { formatBytes } from '../../app/format.js';
import { useLogs } from './logs-store.js';
import { formatDuration } from '../../app/format.js';
import { formatCount } from './format.js';

/** Paths on this machine (files, folders, .tar/.tar.gz/.zip bundles), one per line; progress with speed, ETA and cancel. */
export function ImportPanel({ onImport, onCancel }: { onImport(paths: string[], device?: string): void; onCancel(): void }) {
  const [paths, setPaths] = useState('');
  const [device, setDevice] = useState('');
  const importing = useLogs((s) => s.importing);
  const summary = useLogs((s) => s.lastImport);
  const error = useLogs((s) => s.importError);
  const list = paths.split('\n').map((p) => p.trim()).filter(Boolean);

  return (
    <div className="import-panel">
      <label>
        Files, folders or bundles on this machine, one per line
        <textarea value={paths} onChange={(e) => setPaths(e.target.value)} rows={2} placeholder="/home/tech/gw-17-diagnostics.tar.gz" spellCheck={false} aria-label="Paths to import" />
      </label>
      <div className="import-row">
        <label>
          Device
          <input value={device} onChange={(e) => setDevice(e.target.value)} placeholder="from the file name" aria-label="Device name" />
        </label>
        {importing ? (
          <button className="button" onClick={onCancel}>
            Cancel import
          </button>
        ) : (
          <button className="button primary" disabled={list.length === 0} onClick={() => onImport(list, device.trim() || undefined)}>
            Import
          </button>
        )}
      </div>
      {importing && (
        <div className="import-progress" role="status">
          {importing === 'starting' ? (
            'Starting…'
          ) : (
            <>
              <progress max={importing.bytesTotal || 1} value={importing.bytesDone} />
              <span>
                {formatBytes(importing.bytesDone)} of {formatBytes(importing.bytesTotal)} · {formatCount(importing.lines)} lines ·{' '}
                {formatCount(Math.round(importing.linesPerSec))} lines/s
                {importing.etaSec !== null && ` · ${formatDuration(importing.etaSec)} left`}
              </span>
              <span className="muted">{importing.path}</span>
            </>
          )}
        </div>
      )}
      {summary && (
        <div className="import-summary" role="status">
          {summary.cancelled ? 'Import cancelled: kept ' : 'Imported '}
          {formatCount(summary.records)} records from {summary.files} {summary.files === 1 ? 'file' : 'files'} in {formatDuration(summary.durationMs / 1000)}.
          {summary.notes.length > 0 && (
            <ul>
              {summary.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <div className="banner error" role="alert">
          Import failed: {error}
        </div>
      )}
    </div>
  );
}
