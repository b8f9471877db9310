import { useState } from 'react';
import { formatBytes } from '../../app/format.js';
import { formatDuration } from '../../app/format.js';
import { TRANSFER_PROTOCOLS, type TransferProtocol } from '../../../../shared/contract/serial-options.js';
import type { ConsoleTab } from './console-store.js';

const PROTOCOL_LABELS: Record<TransferProtocol, string> = { xmodem: 'XMODEM', xmodem1k: 'XMODEM-1K', ymodem: 'YMODEM' };

/** Send a file from this machine (start the receiver on the device first, e.g. `loady` or `rb`); progress, speed, ETA, cancel. */
export function TransferPanel({ tab, onSend }: { tab: ConsoleTab; onSend(protocol: TransferProtocol, path: string): void }) {
  const [protocol, setProtocol] = useState<TransferProtocol>('ymodem');
  const [path, setPath] = useState('');
  const transfer = tab.transfer;
  const last = transfer?.last;
  const running = transfer?.cancel != null;

  return (
    <div className="console-panel" aria-label="Send a file">
      <form
        className="console-panel-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim() && !running) onSend(protocol, path.trim());
        }}
      >
        <select value={protocol} onChange={(e) => setProtocol(e.target.value as TransferProtocol)} aria-label="Transfer protocol">
          {TRANSFER_PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {PROTOCOL_LABELS[p]}
            </option>
          ))}
        </select>
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/tech/firmware.bin" spellCheck={false} aria-label="File to send" />
        {running ? (
          <button type="button" className="button" onClick={() => transfer.cancel?.()}>
            Cancel
          </button>
        ) : (
          <button className="button primary" disabled={!path.trim()}>
            Send
          </button>
        )}
      </form>
      {transfer && (
        <div className="console-transfer" role="status">
          {!last ? (
            running ? 'Waiting for the receiver to ask for data (start loady, rb or rx on the device)…' : null
          ) : (
            <>
              <progress max={last.totalSize || 1} value={last.totalSent} />
              <span>
                {last.fileName}: {formatBytes(last.totalSent)} of {formatBytes(last.totalSize)} · {formatBytes(last.bytesPerSec)}/s
                {running && last.etaSec !== null && ` · ${formatDuration(last.etaSec)} left`}
                {last.retries > 0 && ` · ${last.retries} retries`}
              </span>
              {last.type === 'done' && <span>{last.ok ? 'Sent.' : `Failed: ${last.detail ?? last.reason}`}</span>}
            </>
          )}
          {transfer.error && <span className="console-error">{transfer.error}</span>}
        </div>
      )}
    </div>
  );
}
