import { useClient } from '../../app/client-context.js';
import { useRemoteShell } from './use-remote-shell.js';
import { XtermView } from './XtermView.js';

/** A PTY shell on the gateway. Typing before the shell is open is kept and sent once it is. */
export function TerminalTab({ connectionId }: { connectionId: string }) {
  const client = useClient();
  const { ended, generation, reopen, xterm } = useRemoteShell(
    {
      open: (size, stream) =>
        client.subscribe('ssh.terminal', { connectionId, ...size }, {
          next(event) {
            if (event.type === 'opened') stream.opened(event.terminalId);
            else if (event.type === 'data') stream.output(event.data);
            else stream.exited(`The shell ended${event.code === null ? '' : ` with exit code ${event.code}`}${event.signal ? ` (${event.signal})` : ''}.`);
          },
          end: (error) => stream.closed(error?.message),
        }),
      write: (terminalId, data) => client.call('ssh.terminalWrite', { terminalId, data }),
      resize: (terminalId, { cols, rows }) => client.call('ssh.terminalResize', { terminalId, cols, rows }),
    },
    [client, connectionId],
  );

  return (
    <div className="terminal-tab">
      {ended && (
        <div className="terminal-ended" role="status">
          {ended}
          <button className="button" onClick={reopen}>
            Open a new shell
          </button>
        </div>
      )}
      <XtermView key={generation} label="Terminal input" {...xterm} />
      <p className="muted terminal-hint">
        Select to copy with <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd>; paste with <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>V</kbd> or the context menu.
      </p>
    </div>
  );
}
