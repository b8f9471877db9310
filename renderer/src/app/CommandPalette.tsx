import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { filterCommands, type PaletteCommand } from './palette-commands.js';
import { useShell } from './store.js';
import { searchIcon } from '../ui/icons.js';
import { Icon } from '../ui/Icon.js';

export function CommandPalette({ commands }: { commands: readonly PaletteCommand[] }) {
  const close = () => useShell.getState().setPaletteOpen(false);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => filterCommands(commands, query), [commands, query]);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => setSelected(0), [query]);

  const run = (command: PaletteCommand | undefined) => {
    if (!command) return;
    close();
    command.run();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
    else if (event.key === 'ArrowDown') setSelected((i) => Math.min(i + 1, matches.length - 1));
    else if (event.key === 'ArrowUp') setSelected((i) => Math.max(i - 1, 0));
    else if (event.key === 'Enter') run(matches[selected]);
    else return;
    event.preventDefault();
  };

  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div className="palette" role="dialog" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <div className="palette-input">
          <Icon src={searchIcon} />
          <input
            ref={input}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder="Type a command…"
            aria-label="Command"
            aria-controls="palette-list"
            aria-activedescendant={matches[selected] ? `palette-${matches[selected].id}` : undefined}
          />
        </div>
        <ul id="palette-list" role="listbox" className="palette-list">
          {matches.map((command, i) => (
            <li
              key={command.id}
              id={`palette-${command.id}`}
              role="option"
              aria-selected={i === selected}
              className={i === selected ? 'selected' : undefined}
              onMouseEnter={() => setSelected(i)}
              onClick={() => run(command)}
            >
              <span>{command.title}</span>
              {command.shortcut && <kbd>{command.shortcut}</kbd>}
            </li>
          ))}
          {matches.length === 0 && <li className="palette-none">No command matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}
