import type { Terminal as XTerm } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { useClient } from '../../app/client-context.js';
import { consoleActions, updateTab, useConsole } from './console-store.js';
import { ConsoleFormatter, fromBase64, isMultiLine, pastedToWire, typedToWire } from './terminal-format.js';
import { mountTerminal, type MountedTerminal } from '../../ui/mount-terminal.js';

/** Every mounted console, so the toolbar's Copy/Paste and the paste confirmation reach the right one. */
const terminals = new Map<string, { term: XTerm; send(text: string): void }>();

export function terminalOf(id: string) {
  return terminals.get(id);
}

/**
 * One session's terminal: attaches to the backend's byte stream while mounted (the session keeps capturing when it
 * is not), draws received bytes in the chosen view, and sends what is typed or pasted.
 */
export function Terminal({ sessionId, visible }: { sessionId: string; visible: boolean }) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const mounted = useRef<MountedTerminal>(null);
  const view = useConsole((s) => s.tabs.find((t) => t.id === sessionId)?.view);
  const formatter = useRef<ConsoleFormatter>(null);

  useEffect(() => {
    if (view) formatter.current = new ConsoleFormatter(view);
  }, [view]);

  useEffect(() => {
    const actions = consoleActions(client);
    const tab = () => useConsole.getState().tabs.find((t) => t.id === sessionId);
    const current = mountTerminal(host.current!, {
      scrollback: 20_000,
      convertEol: false,
      onKeyDown(event) {
        const key = event.key.toLowerCase();
        if (key === 'f6') {
          // Tab belongs to the device (shell completion); F6 is the way back to the console's controls.
          host.current?.closest('.console-session')?.querySelector<HTMLElement>('.console-toolbar button')?.focus();
          return false;
        }
        // Let the browser paste; the paste listener below decides what is sent.
        return !((event.ctrlKey && event.shiftKey && key === 'v') || (event.shiftKey && key === 'insert'));
      },
    });
    const term = current.term;
    mounted.current = current;

    const echo = (text: string) => tab()?.view.localEcho && term.write(text.replace(/\r\n|\r|\n/g, '\r\n'));
    const send = (text: string) => {
      const t = tab();
      if (!t) return;
      if (t.status.transferring) return updateTab(sessionId, { notice: 'Typing is paused while a file is being sent.' });
      echo(text);
      void actions.write(sessionId, text);
    };
    terminals.set(sessionId, { term, send });

    term.onData((data) => {
      const t = tab();
      if (t) send(typedToWire(data, t.status.settings.lineEnding));
    });
    const onPaste = (event: ClipboardEvent) => {
      event.preventDefault();
      event.stopImmediatePropagation();
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const t = tab();
      if (!text || !t) return;
      if (isMultiLine(text)) updateTab(sessionId, { pendingPaste: text });
      else send(pastedToWire(text, t.status.settings.lineEnding));
    };
    host.current!.addEventListener('paste', onPaste, true);

    const stop = client.subscribe('serial.attach', { sessionId, replay: true }, {
      next: (event) => {
        if (event.type === 'status') return actions.setStatus(sessionId, event.status);
        const tsMs = Number(BigInt(event.tsNs) / 1_000_000n);
        const out = formatter.current?.push(tsMs, fromBase64(event.data));
        if (out !== undefined) term.write(out);
      },
      end: (error) => error && updateTab(sessionId, { error: `Console detached: ${error.message}` }),
    });

    return () => {
      stop();
      terminals.delete(sessionId);
      current.dispose();
    };
  }, [client, sessionId]);

  useEffect(() => {
    if (!visible) return;
    mounted.current?.fit();
    terminals.get(sessionId)?.term.focus();
  }, [visible, sessionId]);

  return <div ref={host} className="console-terminal" hidden={!visible} />;
}

