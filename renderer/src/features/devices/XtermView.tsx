import { useEffect, useRef } from 'react';
import { mountTerminal } from '../../ui/mount-terminal.js';

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What the owner of the view can do with it. */
export interface XtermHandle {
  write(data: Uint8Array | string): void;
  size(): TerminalSize;
  focus(): void;
}

export interface XtermViewProps {
  /** Called once the terminal is in the page and fitted to its box. */
  onReady(handle: XtermHandle): void;
  /** Bytes the user typed or pasted (UTF-8). */
  onInput(data: Uint8Array): void;
  onResize(size: TerminalSize): void;
  label: string;
}

const encoder = new TextEncoder();

/**
 * A remote shell's terminal (pasting works through the browser's own paste). Transport-agnostic: SSH and container
 * shells both use it.
 */
export function XtermView({ onReady, onInput, onResize, label }: XtermViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onReady, onInput, onResize });
  callbacks.current = { onReady, onInput, onResize };

  useEffect(() => {
    const { term, dispose } = mountTerminal(box.current!, { label, cursorBlink: true, scrollback: 10_000 });
    const subscriptions = [
      term.onData((text) => callbacks.current.onInput(encoder.encode(text))),
      term.onBinary((text) => callbacks.current.onInput(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff))),
      term.onResize(({ cols, rows }) => callbacks.current.onResize({ cols, rows })),
    ];
    callbacks.current.onReady({ write: (data) => term.write(data), size: () => ({ cols: term.cols, rows: term.rows }), focus: () => term.focus() });
    term.focus();
    return () => {
      subscriptions.forEach((s) => s.dispose());
      dispose();
    };
  }, [label]);

  return <div className="xterm-box" ref={box} />;
}
