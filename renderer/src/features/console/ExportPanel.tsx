import { useState } from 'react';

/** Writes the session's capture to a file on this machine: the raw bytes, or text with a timestamp per line. */
export function ExportPanel({ onExport }: { onExport(format: 'raw' | 'text', path: string): void }) {
  const [path, setPath] = useState('');
  const ok = path.trim().startsWith('/') || /^[A-Za-z]:[\\/]/.test(path.trim());
  return (
    <div className="console-panel console-panel-row" aria-label="Export capture">
      <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/tech/gw-17-console.log" spellCheck={false} aria-label="Export to" />
      <button className="button" disabled={!ok} onClick={() => onExport('text', path.trim())}>
        Export text
      </button>
      <button className="button" disabled={!ok} onClick={() => onExport('raw', path.trim())}>
        Export raw
      </button>
    </div>
  );
}
