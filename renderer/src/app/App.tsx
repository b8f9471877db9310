import { useEffect, useMemo } from 'react';
import type { FieldkitClient } from '../../../shared/contract/client.js';
import type { ThemeSetting } from '../../../shared/contract/app.js';
import { CommandPalette } from './CommandPalette.js';
import type { PaletteCommand } from './palette-commands.js';
import { SECTIONS } from './sections.js';
import { Sidebar } from './Sidebar.js';
import { StatusBar } from './StatusBar.js';
import { useShell } from './store.js';
import { useResolvedTheme } from './theme.js';
import { alertIcon } from '../ui/icons.js';
import { Icon } from '../ui/Icon.js';
import { ClientProvider } from './client-context.js';

function useBackendState(client: FieldkitClient) {
  useEffect(() => {
    const { setTheme, setStatus, setLink } = useShell.getState();
    const lost = (error?: Error) => error && setLink({ state: 'lost', reason: error.message });
    const stops = [
      client.subscribe('settings.changes', {}, { next: (settings) => (setLink({ state: 'online' }), setTheme(settings.theme)), end: lost }),
      client.subscribe('app.status', {}, { next: setStatus, end: lost }),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client]);
}

function useShortcuts() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const { paletteOpen, setPaletteOpen, go } = useShell.getState();
      if (event.key.toLowerCase() === 'k') setPaletteOpen(!paletteOpen);
      else if (/^[1-9]$/.test(event.key) && SECTIONS[Number(event.key) - 1]) go(SECTIONS[Number(event.key) - 1].id);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App({ client }: { client: FieldkitClient }) {
  useBackendState(client);
  useShortcuts();
  const section = useShell((s) => s.section);
  const paletteOpen = useShell((s) => s.paletteOpen);
  const theme = useShell((s) => s.theme);
  const link = useShell((s) => s.link);
  const resolved = useResolvedTheme(theme);

  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);

  const commands = useMemo<PaletteCommand[]>(() => {
    const useTheme = (next: ThemeSetting) => () => void client.call('settings.update', { theme: next });
    return [
      ...SECTIONS.map((s, i) => ({ id: `go-${s.id}`, title: `Go to ${s.label}`, shortcut: `Ctrl+${i + 1}`, run: () => useShell.getState().go(s.id) })),
      { id: 'theme-toggle', title: 'Toggle light/dark theme', run: useTheme(resolved === 'dark' ? 'light' : 'dark') },
      { id: 'theme-light', title: 'Use light theme', run: useTheme('light') },
      { id: 'theme-dark', title: 'Use dark theme', run: useTheme('dark') },
      { id: 'theme-system', title: 'Use the system theme', run: useTheme('system') },
    ];
  }, [client, resolved]);

  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  const Current = current.component;
  return (
    <ClientProvider value={client}>
      <div className="shell">
        <Sidebar resolvedTheme={resolved} onToggleTheme={commands.find((c) => c.id === 'theme-toggle')!.run} />
        <main className="content" aria-labelledby="section-title">
          {link.state === 'lost' && (
            <div className="banner error" role="alert">
              <Icon src={alertIcon} />
              {link.reason}
            </div>
          )}
          <header className="content-header">
            <h1 id="section-title">{current.label}</h1>
          </header>
          <section className="content-body" data-section={current.id}>
            <Current />
          </section>
        </main>
        <StatusBar />
        {paletteOpen && <CommandPalette commands={commands} />}
      </div>
    </ClientProvider>
  );
}
