import { useEffect, useRef, useState } from 'react';
import { decodeBase64, encodeBase64 } from '../../../../shared/ssh/base64.js';
import { useClient } from '../../app/client-context.js';
import { messageOf } from '../../app/format.js';
import { XtermView, type TerminalSize, type XtermHandle } from './XtermView.js';

/** A PTY shell on the gateway. Typing before the shell is open is kept and sent once it is. */
export function TerminalTab({ connectionId }: { connectionId: string }) {
  const client = useClient();
  const [generation, setGeneration] = useState(0);
  const [ended, setEnded] = useState<string | null>(null);
  const view = useRef<XtermHandle>(undefined);
  const terminalId = useRef<string>(undefined);
  const early = useRef<Uint8Array[]>([]);

  const send = (data: Uint8Array) => {
    if (!terminalId.current) return void early.current.push(data);
    client.call('ssh.terminalWrite', { terminalId: terminalId.current, data: encodeBase64(data) }).catch((error) => setEnded(messageOf(error)));
  };
  const resize = ({ cols, rows }: TerminalSize) => {
    if (terminalId.current) void client.call('ssh.terminalResize', { terminalId: terminalId.current, cols, rows }).catch(() => {});
  };

  useEffect(() => {
    const term = view.current!;
    setEnded(null);
    const stop = client.subscribe('ssh.terminal', { connectionId, ...term.size() }, {
      next: (event) => {
        if (event.type === 'opened') {
          terminalId.current = event.terminalId;
          for (const data of early.current.splice(0)) send(data);
        } else if (event.type === 'data') term.write(decodeBase64(event.data) ?? new Uint8Array());
        else setEnded(`The shell ended${event.code === null ? '' : ` with exit code ${event.code}`}${event.signal ? ` (${event.signal})` : ''}.`);
      },
      end: (error) => {
        terminalId.current = undefined;
        if (error) setEnded(error.message);
      },
    });
    return () => {
      stop();
      terminalId.current = undefined;
    };
    // `send` only reads refs; the shell is reopened only for a new connection or on request.
  }, [client, connectionId, generation]);

  return (
    <div className="terminal-tab">
      {ended && (
        <div className="terminal-ended" role="status">
          {ended}
          <button className="button" onClick={() => setGeneration((g) => g + 1)}>
            Open a new shell
          </button>
        </div>
      )}
      <XtermView key={generation} label="Terminal input" onReady={(handle) => (view.current = handle)} onInput={send} onResize={resize} />
      <p className="muted terminal-hint">
        Select to copy with <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd>; paste with <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>V</kbd> or the context menu.
      </p>
    </div>
  );
}
