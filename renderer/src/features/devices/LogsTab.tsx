import { useEffect, useRef, useState } from 'react';
import type { StreamEvent } from '../../../../shared/contract/index.js';
import { useClient } from '../../app/client-context.js';
import { useShell } from '../../app/store.js';
import { useLogs } from '../logs/logs-store.js';
import { deviceQuery } from './format.js';

type Collect = StreamEvent<'ssh.collectLogs'>;

/** journald (and optionally a diagnostic bundle) into the local index, then on to the Logs section. */
export function LogsTab({ connectionId, device }: { connectionId: string; device: string }) {
  const client = useClient();
  const go = useShell((s) => s.go);
  const [since, setSince] = useState('-24h');
  const [bundle, setBundle] = useState(false);
  const [progress, setProgress] = useState<Collect | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stop = useRef<() => void>(undefined);
  useEffect(() => () => stop.current?.(), []);

  const collect = () => {
    setError(null);
    setProgress(null);
    setRunning(true);
    stop.current = client.subscribe('ssh.collectLogs', { connectionId, bundle, ...(since.trim() && { since: since.trim() }) }, {
      next: setProgress,
      end: (failure) => {
        stop.current = undefined;
        setRunning(false);
        if (failure) setError(failure.message);
      },
    });
  };
  const cancel = () => {
    stop.current?.();
    stop.current = undefined;
    setRunning(false);
  };
  const showInLogs = () => {
    const query = deviceQuery(device);
    useLogs.setState({ query, draft: query, range: null });
    go('logs');
  };

  return (
    <div className="logs-tab">
      <p>
        Collect the gateway's journal (<code>journalctl -o export</code>) into the local log index as device <b className="mono">{device}</b>, to search it offline
        with everything else.
      </p>
      <div className="devices-inline-form">
        <label>
          Since (journalctl syntax; empty for everything)
          <input value={since} onChange={(e) => setSince(e.target.value)} placeholder="-24h, today, 2026-11-28 10:00" aria-label="Collect since" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={bundle} onChange={(e) => setBundle(e.target.checked)} />
          Also pull a diagnostic bundle (/var/log, dmesg, K3s)
        </label>
        {running ? (
          <button className="button" type="button" onClick={cancel}>
            Cancel
          </button>
        ) : (
          <button className="button primary" type="button" onClick={collect}>
            Collect logs
          </button>
        )}
      </div>
      {progress && (
        <div role="status" className="collect-status">
          {progress.type === 'progress'
            ? `${progress.phase === 'journal' ? 'Reading the journal' : 'Pulling the diagnostic bundle'}: ${progress.records} records so far…`
            : `Collected ${progress.records} journal records${progress.bundleRecords === null ? '' : ` and ${progress.bundleRecords} records from the diagnostic bundle`} into the index.`}
        </div>
      )}
      {error && (
        <div className="banner error devices-banner" role="alert">
          {error}
        </div>
      )}
      <button className="button" onClick={showInLogs}>
        Show {deviceQuery(device)} in Logs
      </button>
    </div>
  );
}
