import { useState, type KeyboardEvent } from 'react';
import { useLogs } from './logs-store.js';
import { searchIcon } from '../../ui/icons.js';
import { Icon } from '../../ui/Icon.js';

const SYNTAX: [string, string][] = [
  ['timeout', 'a word, any case'],
  ['"link down"', 'a phrase'],
  ['eth*', 'words starting with eth'],
  ['device:gw-17', 'a label: device, source, unit, pod, container, site, or any field'],
  ['level>=warn', 'warn, error and critical'],
  ['-debounce', 'without the word'],
  ['a OR b', 'either; terms side by side must all match'],
  ['/timeout \\d+ms/', 'a regular expression'],
  ['last 15m', 'a time range (s, m, h, d, w); or since:2026-11-28T10:00 until:…'],
];

export function QueryBar({ onSearch, tail, onToggleTail }: { onSearch(): void; tail: boolean; onToggleTail(): void }) {
  const draft = useLogs((s) => s.draft);
  const history = useLogs((s) => s.history);
  const setDraft = useLogs((s) => s.setDraft);
  const [help, setHelp] = useState(false);
  const [historyAt, setHistoryAt] = useState(-1);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      setHistoryAt(-1);
      onSearch();
    } else if (event.key === 'ArrowUp' && history.length > 0) {
      const at = Math.min(historyAt + 1, history.length - 1);
      setHistoryAt(at);
      setDraft(history[at]);
    } else if (event.key === 'ArrowDown' && historyAt >= 0) {
      const at = historyAt - 1;
      setHistoryAt(at);
      setDraft(at < 0 ? '' : history[at]);
    } else if (event.key === '?' && draft === '') setHelp((h) => !h);
    else if (event.key === 'Escape') setHelp(false);
    else return;
    event.preventDefault();
  };

  return (
    <div className="query-bar">
      <div className="query-input">
        <Icon src={searchIcon} />
        <input
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder='Search the index: words, "phrases", device:gw-17, level>=warn, last 15m  (? for help, ↑ for history)'
          aria-label="Log query"
          spellCheck={false}
        />
      </div>
      <button className="button primary" onClick={onSearch}>
        Search
      </button>
      <button className={tail ? 'button active' : 'button'} onClick={onToggleTail} aria-pressed={tail} title="Show new matches as they arrive">
        {tail ? 'Live ●' : 'Live'}
      </button>
      <button className="button" onClick={() => setHelp((h) => !h)} aria-expanded={help} aria-label="Query syntax">
        ?
      </button>
      {help && (
        <div className="query-help" role="note">
          <table>
            <tbody>
              {SYNTAX.map(([example, meaning]) => (
                <tr key={example}>
                  <td>
                    <code>{example}</code>
                  </td>
                  <td>{meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
