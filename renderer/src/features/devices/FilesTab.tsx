import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { RemoteEntryView, TransferEvent } from '../../../../shared/contract/index.js';
import { formatBytes } from '../../app/format.js';
import { useClient } from '../../app/client-context.js';
import { messageOf } from '../../app/format.js';
import { describeTransfer } from './format.js';

interface Transfer {
  id: number;
  direction: 'upload' | 'download';
  localPath: string;
  remotePath: string;
  progress: Extract<TransferEvent, { type: 'progress' }> | null;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  error?: string;
  resumedAt?: number;
}

type Ask = { kind: 'mkdir' } | { kind: 'rename'; entry: RemoteEntryView } | { kind: 'download'; entry: RemoteEntryView };

const join = (dir: string, name: string) => `${dir.replace(/\/$/, '')}/${name}`;
const parent = (dir: string) => dir.replace(/\/[^/]+\/?$/, '') || '/';
const baseName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? path;
let nextTransfer = 1;

function TransferRow({ t, onCancel, onResume }: { t: Transfer; onCancel(): void; onResume(): void }) {
  const label = t.direction === 'upload' ? `${baseName(t.localPath)} → ${t.remotePath}` : `${t.remotePath} → ${t.localPath}`;
  return (
    <li className={`transfer ${t.status}`} data-testid="transfer">
      <div className="transfer-head">
        <span className="mono">{label}</span>
        <span className="status-spacer" />
        {t.status === 'running' && (
          <button className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {(t.status === 'cancelled' || t.status === 'failed') && (
          <button className="button" onClick={onResume}>
            Resume
          </button>
        )}
      </div>
      <progress max={t.progress?.bytesTotal || 1} value={t.status === 'done' ? t.progress?.bytesTotal || 1 : (t.progress?.bytesDone ?? 0)} />
      <span className="transfer-text" role="status">
        {t.status === 'done' && `${t.direction === 'upload' ? 'Uploaded' : 'Downloaded'} ${formatBytes(t.progress?.bytesTotal ?? 0)}${t.resumedAt ? ` (resumed at ${formatBytes(t.resumedAt)})` : ''}`}
        {t.status === 'running' && (t.progress ? describeTransfer(t.progress) : 'starting…')}
        {t.status === 'cancelled' && 'Cancelled; the partial file is kept, so it can resume.'}
        {t.status === 'failed' && `Failed: ${t.error}`}
      </span>
    </li>
  );
}

/** The SFTP browser: one remote folder at a time, transfers with progress, speed, ETA, cancel and resume. */
export function FilesTab({ connectionId }: { connectionId: string }) {
  const client = useClient();
  const [path, setPath] = useState('.');
  /** What the technician typed into the folder box; null shows the listed folder. A listing never overwrites typing. */
  const [draft, setDraft] = useState<string | null>(null);
  const [entries, setEntries] = useState<RemoteEntryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploadPath, setUploadPath] = useState('');
  const [ask, setAsk] = useState<Ask | null>(null);
  const [askValue, setAskValue] = useState('');
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const stops = useRef(new Map<number, () => void>());
  useEffect(() => () => stops.current.forEach((stop) => stop()), []);
  /** Only the latest listing asked for is shown: a slow one must not take the technician back to where they were. */
  const latest = useRef(0);

  const open = useCallback(
    async (target: string) => {
      const mine = ++latest.current;
      setError(null);
      try {
        const listing = await client.call('ssh.files.list', { connectionId, path: target });
        if (mine !== latest.current) return;
        setPath(listing.path);
        setEntries(listing.entries);
        setDraft((typed) => (typed === target ? null : typed));
      } catch (failure) {
        if (mine === latest.current) setError(messageOf(failure));
      }
    },
    [client, connectionId],
  );
  useEffect(() => void open('.'), [open]);
  /** Up, a folder's link and Refresh leave whatever was typed behind. */
  const go = (target: string) => {
    setDraft(null);
    void open(target);
  };

  const act = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (failure) {
      setError(messageOf(failure));
    }
    await open(path);
  };

  const update = (id: number, change: Partial<Transfer>) => setTransfers((all) => all.map((t) => (t.id === id ? { ...t, ...change } : t)));

  const start = (direction: Transfer['direction'], localPath: string, remotePath: string, resume = false, id = nextTransfer++) => {
    if (!resume) setTransfers((all) => [{ id, direction, localPath, remotePath, progress: null, status: 'running' as const }, ...all].slice(0, 20));
    else update(id, { status: 'running', error: undefined });
    const stop = client.subscribe(direction === 'upload' ? 'ssh.files.upload' : 'ssh.files.download', { connectionId, localPath, remotePath, resume }, {
      next: (event) => (event.type === 'progress' ? update(id, { progress: event }) : update(id, { status: 'done', ...(event.startOffset > 0 && { resumedAt: event.startOffset }) })),
      end: (failure) => {
        stops.current.delete(id);
        if (failure) update(id, failure.code === 'cancelled' ? { status: 'cancelled' } : { status: 'failed', error: failure.message });
        if (direction === 'upload') void open(path);
      },
    });
    stops.current.set(id, stop);
  };
  const cancel = (id: number) => {
    stops.current.get(id)?.();
    stops.current.delete(id);
    update(id, { status: 'cancelled' });
  };

  const upload = (event: FormEvent) => {
    event.preventDefault();
    const local = uploadPath.trim();
    if (!local) return;
    start('upload', local, join(path, baseName(local)));
    setUploadPath('');
  };

  const submitAsk = (event: FormEvent) => {
    event.preventDefault();
    const value = askValue.trim();
    if (!ask || !value) return;
    setAsk(null);
    if (ask.kind === 'mkdir') void act(client.call('ssh.files.mkdir', { connectionId, path: join(path, value) }));
    else if (ask.kind === 'rename') void act(client.call('ssh.files.rename', { connectionId, from: join(path, ask.entry.name), to: value.startsWith('/') ? value : join(path, value) }));
    else start('download', value, join(path, ask.entry.name));
  };
  const askFor = (next: Ask, initial: string) => {
    setAsk(next);
    setAskValue(initial);
  };

  return (
    <div className="files-tab">
      <div className="devices-toolbar">
        <button className="button" onClick={() => go(parent(path))} disabled={path === '/'} aria-label="Up one folder">
          ↑ Up
        </button>
        <form
          className="path-form"
          onSubmit={(e) => {
            e.preventDefault();
            void open(draft ?? path);
          }}
        >
          <input value={draft ?? path} onChange={(e) => setDraft(e.target.value)} aria-label="Remote folder" className="mono" spellCheck={false} />
        </form>
        <button className="button" onClick={() => go(path)}>
          Refresh
        </button>
        <button className="button" onClick={() => askFor({ kind: 'mkdir' }, '')}>
          New folder
        </button>
      </div>
      <form className="devices-inline-form" onSubmit={upload}>
        <label>
          Upload a file from this machine into {path}
          <input value={uploadPath} onChange={(e) => setUploadPath(e.target.value)} placeholder="/home/tech/firmware.bin" aria-label="Local file to upload" className="mono" spellCheck={false} />
        </label>
        <button className="button primary" type="submit" disabled={!uploadPath.trim()}>
          Upload
        </button>
      </form>
      {ask && (
        <form className="devices-inline-form" onSubmit={submitAsk}>
          <label>
            {ask.kind === 'mkdir' ? `New folder in ${path}` : ask.kind === 'rename' ? `Rename ${ask.entry.name} to` : `Save ${ask.entry.name} on this machine as`}
            <input value={askValue} onChange={(e) => setAskValue(e.target.value)} autoFocus aria-label="Name or path" className="mono" spellCheck={false} />
          </label>
          <button className="button primary" type="submit">
            OK
          </button>
          <button className="button" type="button" onClick={() => setAsk(null)}>
            Cancel
          </button>
        </form>
      )}
      {transfers.length > 0 && (
        <ul className="transfers" aria-label="Transfers">
          {transfers.map((t) => (
            <TransferRow key={t.id} t={t} onCancel={() => cancel(t.id)} onResume={() => start(t.direction, t.localPath, t.remotePath, true, t.id)} />
          ))}
        </ul>
      )}
      {error && (
        <div className="banner error devices-banner" role="alert">
          {error}
        </div>
      )}
      {entries === null ? (
        !error && (
          <p className="muted" role="status">
            Listing the home folder…
          </p>
        )
      ) : (
        <table className="files" aria-label={`Files in ${path}`}>
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Size</th>
              <th>Modified</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  This folder is empty.
                </td>
              </tr>
            )}
            {entries.map((entry) => (
              <tr key={entry.name}>
                <td>
                  {entry.kind === 'directory' ? (
                    <button className="link-button" onClick={() => go(join(path, entry.name))}>
                      {entry.name}/
                    </button>
                  ) : (
                    <span className="mono">{entry.name}</span>
                  )}
                </td>
                <td className="num">{entry.kind === 'directory' ? '' : formatBytes(entry.size)}</td>
                <td className="muted">{new Date(entry.mtimeMs).toLocaleString()}</td>
                <td>
                  <span className="row-actions">
                    {entry.kind === 'file' && (
                      <button className="link-button" onClick={() => askFor({ kind: 'download', entry }, `~/Downloads/${entry.name}`)}>
                        Download
                      </button>
                    )}
                    <button className="link-button" onClick={() => askFor({ kind: 'rename', entry }, entry.name)}>
                      Rename
                    </button>
                    <button
                      className="link-button"
                      onClick={() => {
                        if (window.confirm(`Delete ${join(path, entry.name)} on the gateway?`)) void act(client.call('ssh.files.delete', { connectionId, path: join(path, entry.name) }));
                      }}
                    >
                      Delete
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
