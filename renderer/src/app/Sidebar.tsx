import { SECTIONS } from './sections.js';
import { useShell } from './store.js';
import { commandIcon, moonIcon, sunIcon } from '../ui/icons.js';
import { Icon } from '../ui/Icon.js';

export function Sidebar({ resolvedTheme, onToggleTheme }: { resolvedTheme: 'light' | 'dark'; onToggleTheme(): void }) {
  const section = useShell((s) => s.section);
  const go = useShell((s) => s.go);
  const openPalette = () => useShell.getState().setPaletteOpen(true);
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand">
        <span className="brand-mark">FK</span>
        <span className="brand-name">FieldKit</span>
      </div>
      <ul>
        {SECTIONS.map((s, i) => (
          <li key={s.id}>
            <button
              className={s.id === section ? 'nav-item active' : 'nav-item'}
              aria-current={s.id === section ? 'page' : undefined}
              onClick={() => go(s.id)}
              title={`${s.label} (Ctrl+${i + 1})`}
            >
              <Icon src={s.icon} />
              <span>{s.label}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">
        <button className="nav-item" onClick={openPalette} title="Command palette (Ctrl+K)">
          <Icon src={commandIcon} />
          <span>Commands</span>
        </button>
        <button className="nav-item" onClick={onToggleTheme} aria-label="Toggle theme" title="Toggle light and dark theme">
          <Icon src={resolvedTheme === 'dark' ? sunIcon : moonIcon} />
          <span>{resolvedTheme === 'dark' ? 'Light theme' : 'Dark theme'}</span>
        </button>
      </div>
    </nav>
  );
}
