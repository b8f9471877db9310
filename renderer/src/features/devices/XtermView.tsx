import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { installCspSafeStyles } from '../../ui/xterm-csp.js';
import { followPageTheme, pageMonoFont } from '../../ui/xterm-theme.js';

installCspSafeStyles();

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
 * xterm.js fitted to its box, with Ctrl+Shift+C to copy the selection (Ctrl+C goes to the remote side as usual;
 * pasting works through the browser's own paste). Transport-agnostic: SSH and serial consoles can both use it.
 */
export function XtermView({ onReady, onInput, onResize, label }: XtermViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onReady, onInput, onResize });
  callbacks.current = { onReady, onInput, onResize };

  useEffect(() => {
    const term = new Terminal({ fontFamily: pageMonoFont(), fontSize: 13, cursorBlink: true, scrollback: 10_000 });
    const stopTheme = followPageTheme(term);
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    term.textarea?.setAttribute('aria-label', label);
    term.attachCustomKeyEventHandler((event) => {
      if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'c') {
        if (term.hasSelection()) void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      return true;
    });
    const subscriptions = [
      term.onData((text) => callbacks.current.onInput(encoder.encode(text))),
      term.onBinary((text) => callbacks.current.onInput(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff))),
      term.onResize(({ cols, rows }) => callbacks.current.onResize({ cols, rows })),
    ];
    fit.fit();
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(box.current!);
    callbacks.current.onReady({ write: (data) => term.write(data), size: () => ({ cols: term.cols, rows: term.rows }), focus: () => term.focus() });
    term.focus();
    return () => {
      observer.disconnect();
      stopTheme();
      subscriptions.forEach((s) => s.dispose());
      term.dispose();
    };
  }, [label]);

  return <div className="xterm-box" ref={box} />;
}
