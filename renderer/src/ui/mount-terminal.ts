import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { installCspSafeStyles } from './xterm-csp.js';
import { followPageTheme, pageMonoFont } from './xterm-theme.js';

installCspSafeStyles();

export interface MountedTerminal {
  term: Terminal;
  fit(): void;
  dispose(): void;
}

export interface MountOptions extends Pick<ITerminalOptions, 'scrollback' | 'cursorBlink' | 'convertEol'> {
  /** The accessible name of the terminal's input. */
  label?: string;
  /** Keydowns other than Ctrl+Shift+C; false keeps the key from the terminal. */
  onKeyDown?: (event: KeyboardEvent) => boolean;
}

/**
 * xterm.js in `host`, in the page's font and colours (following the light/dark theme), fitted to its box whenever
 * the box is shown or resized. Ctrl+Shift+C copies the selection; Ctrl+C goes to the other side as usual.
 */
export function mountTerminal(host: HTMLElement, { label, onKeyDown, ...options }: MountOptions): MountedTerminal {
  const term = new Terminal({ fontFamily: pageMonoFont(), fontSize: 13, ...options });
  const stopTheme = followPageTheme(term);
  const fitAddon = new FitAddon();
  term.loadAddon(fitAddon);
  term.open(host);
  if (label) term.textarea?.setAttribute('aria-label', label);
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return true;
    if (event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'c') {
      if (term.hasSelection()) void navigator.clipboard?.writeText(term.getSelection());
      return false;
    }
    return onKeyDown?.(event) ?? true;
  });
  // a hidden box (offsetParent null) has no size to fit to
  const fit = () => host.offsetParent && fitAddon.fit();
  fit();
  const observer = new ResizeObserver(fit);
  observer.observe(host);
  return {
    term,
    fit,
    dispose() {
      observer.disconnect();
      stopTheme();
      term.dispose();
    },
  };
}
