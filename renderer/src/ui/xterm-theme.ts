import type { ITheme, Terminal } from '@xterm/xterm';

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export const pageMonoFont = () => cssVar('--font-mono') || 'monospace';

const themeFromPage = (): ITheme => ({
  background: cssVar('--bg-sunken'),
  foreground: cssVar('--text'),
  cursor: cssVar('--accent'),
  selectionBackground: cssVar('--accent-soft'),
});

/** Gives the terminal the page's colours now and whenever the light/dark theme changes; returns the stop. */
export function followPageTheme(term: Terminal): () => void {
  term.options.theme = themeFromPage();
  const observer = new MutationObserver(() => (term.options.theme = themeFromPage()));
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
