import { useEffect, useRef, useState, type DependencyList } from 'react';
import { decodeBase64, encodeBase64 } from '../../../../shared/ssh/base64.js';
import { messageOf } from '../../app/format.js';
import type { TerminalSize, XtermHandle, XtermViewProps } from './XtermView.js';

/** What a shell stream reports to its terminal. */
export interface ShellStream {
  opened(shellId: string): void;
  output(base64: string): void;
  /** The remote process ended; the message says how. */
  exited(message: string): void;
  /** The stream is over; a message when it failed. */
  closed(message?: string): void;
}

/** How one kind of remote shell (SSH PTY, container exec) is opened, written and resized. */
export interface ShellTransport {
  open(size: TerminalSize, stream: ShellStream): () => void;
  write(shellId: string, base64: string): Promise<unknown>;
  resize(shellId: string, size: TerminalSize): Promise<unknown>;
}

/**
 * A remote shell behind an XtermView: typing before the shell is open is kept and sent once it is; the shell is
 * reopened when `deps` change or on `reopen()`.
 */
export function useRemoteShell(transport: ShellTransport, deps: DependencyList) {
  const [generation, setGeneration] = useState(0);
  const [ended, setEnded] = useState<string | null>(null);
  const view = useRef<XtermHandle>(undefined);
  const shellId = useRef<string>(undefined);
  const early = useRef<Uint8Array[]>([]);
  const io = useRef(transport);
  io.current = transport;

  const send = (data: Uint8Array) => {
    if (!shellId.current) return void early.current.push(data);
    io.current.write(shellId.current, encodeBase64(data)).catch((error) => setEnded(messageOf(error)));
  };
  const resize = (size: TerminalSize) => {
    if (shellId.current) void io.current.resize(shellId.current, size).catch(() => {});
  };

  useEffect(() => {
    const term = view.current!;
    setEnded(null);
    const stop = io.current.open(term.size(), {
      opened(id) {
        shellId.current = id;
        for (const data of early.current.splice(0)) send(data);
      },
      output: (data) => term.write(decodeBase64(data) ?? new Uint8Array()),
      exited: setEnded,
      closed(message) {
        shellId.current = undefined;
        if (message) setEnded(message);
      },
    });
    return () => {
      stop();
      shellId.current = undefined;
    };
    // `send` only reads refs and the transport is read through `io`; the caller's deps say when to reopen.
  }, [...deps, generation]);

  const xterm: Pick<XtermViewProps, 'onReady' | 'onInput' | 'onResize'> = { onReady: (handle) => (view.current = handle), onInput: send, onResize: resize };
  return { ended, generation, reopen: () => setGeneration((g) => g + 1), xterm };
}
