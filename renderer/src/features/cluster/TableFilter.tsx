import type { KeyboardEvent } from 'react';

/** From a filter box, Enter or ↓ goes to the table (which then selects the first row in view if none is). */
function focusTableOnEnter(event: KeyboardEvent<HTMLInputElement>) {
  if (event.key !== 'Enter' && event.key !== 'ArrowDown') return;
  event.preventDefault();
  event.currentTarget.closest('.cluster-table-pane')?.querySelector<HTMLElement>('[role=grid]')?.focus();
}

/** The filter box of a cluster table; `/` focuses it (the `data-filter` mark). */
export function TableFilter({ noun, hint, value, onChange }: { noun: string; hint: string; value: string; onChange(value: string): void }) {
  return (
    <label className="cluster-filter">
      <span className="sr-only">Filter {noun}</span>
      <input
        data-filter
        type="search"
        value={value}
        placeholder={`Filter ${noun}: ${hint}  ( / )`}
        aria-label={`Filter ${noun}`}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={focusTableOnEnter}
      />
    </label>
  );
}

/** `31 pods`, or `4 of 31 pods` while a filter hides some. */
export function RowCount({ shown, total, noun, testId }: { shown: number; total: number; noun: string; testId: string }) {
  return (
    <span className="muted cluster-count" data-testid={testId}>
      {shown === total ? `${total} ${noun}` : `${shown} of ${total} ${noun}`}
    </span>
  );
}
