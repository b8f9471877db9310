import { memo, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import type { Sort } from './table-model.js';

export const ROW_HEIGHT = 30;
const OVERSCAN = 8;

export interface Column<T, C extends string> {
  id: C | string;
  label: string;
  /** A CSS grid track, e.g. `minmax(160px, 2fr)` or `90px`. */
  width: string;
  sortable: boolean;
  align?: 'right';
  cell(row: T, now: number): ReactNode;
}

interface RowProps<T, C extends string> {
  row: T;
  rowKey: string;
  index: number;
  columns: readonly Column<T, C>[];
  selected: boolean;
  now: number;
  tone: string;
}

/**
 * One row. Memoised on its object: a watch batch that replaces one pod re-renders that pod's row only (plus any
 * row whose position changed).
 */
function RowView<T, C extends string>({ row, rowKey, index, columns, selected, now, tone }: RowProps<T, C>) {
  return (
    <div
      className={`vt-row tone-${tone}${selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-key={rowKey}
      id={`vt-${rowKey}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
    >
      {columns.map((c) => (
        <div key={c.id} role="gridcell" className={`vt-cell vt-${c.id}${c.align === 'right' ? ' right' : ''}`}>
          {c.cell(row, now)}
        </div>
      ))}
    </div>
  );
}
const Row = memo(RowView) as typeof RowView;

/** The narrowest the columns get (their px minimums); below it the table scrolls sideways instead of squeezing. */
const minWidth = (columns: readonly { width: string }[]) => columns.reduce((sum, c) => sum + Number(/(\d+)px/.exec(c.width)?.[1] ?? 80), 0);

export interface VirtualTableProps<T, C extends string> {
  label: string;
  rows: readonly T[];
  rowKey(row: T): string;
  tone(row: T): string;
  columns: readonly Column<T, C>[];
  sort: Sort<C>;
  onSort(column: C): void;
  selectedKey: string | null;
  onSelect(key: string): void;
  onOpen(key: string): void;
  /** Keys the table does not use itself (l, s, y, Delete…), with the selected row's key. */
  onKey?(event: KeyboardEvent, key: string): void;
  now: number;
  empty: ReactNode;
}

/**
 * A fixed-row-height table that puts only the rows in view in the DOM, with k9s-style keys: j/k or arrows move,
 * g/G or Home/End jump, PageUp/PageDown page, Enter opens.
 */
export function VirtualTable<T, C extends string>(props: VirtualTableProps<T, C>) {
  const { label, rows, rowKey, tone, columns, sort, onSort, selectedKey, onSelect, onOpen, onKey, now, empty } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const reveal = useRef(false);

  useLayoutEffect(() => {
    const el = box.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((r) => rowKey(r) === selectedKey);

  // Keyboard moves keep the selection in view; live re-sorting does not scroll under the technician's mouse.
  useEffect(() => {
    const el = box.current;
    if (!reveal.current || !el || selectedIndex < 0) return;
    reveal.current = false;
    const top = selectedIndex * ROW_HEIGHT;
    const viewport = el.clientHeight - ROW_HEIGHT; // the sticky header
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + viewport) el.scrollTop = top + ROW_HEIGHT - viewport;
  }, [selectedIndex]);

  const move = (to: number) => {
    if (!rows.length) return;
    const index = Math.max(0, Math.min(rows.length - 1, to));
    reveal.current = index !== selectedIndex;
    onSelect(rowKey(rows[index]));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys on a sort button are the button's.
    if (event.target !== event.currentTarget) return;
    if (event.altKey || event.metaKey || (event.ctrlKey && event.key !== 'd' && event.key !== 'D')) return;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 2);
    const at = selectedIndex;
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      j: at + 1,
      ArrowUp: at < 0 ? 0 : at - 1,
      k: at < 0 ? 0 : at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      g: 0,
      End: rows.length - 1,
      G: rows.length - 1,
    };
    if (event.key in moves && !event.ctrlKey) move(moves[event.key]);
    else if (event.key === 'Enter' && selectedKey !== null && at >= 0) onOpen(selectedKey);
    else if (selectedKey !== null && at >= 0 && onKey) return onKey(event, selectedKey);
    else return;
    event.preventDefault();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = [];
  for (let i = first; i < last; i++) {
    const row = rows[i];
    const key = rowKey(row);
    visible.push(<Row key={key} row={row} rowKey={key} index={i} columns={columns} selected={key === selectedKey} now={now} tone={tone(row)} />);
  }

  const template = { '--vt-columns': columns.map((c) => c.width).join(' '), '--vt-min-width': `${minWidth(columns)}px` } as CSSProperties;
  return (
    <div
      className="vt"
      ref={box}
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? `vt-${selectedKey}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        // Arriving by keyboard (Tab, or Enter in the filter) with nothing selected: start at the first row in view.
        if (e.target === e.currentTarget && selectedIndex < 0 && e.currentTarget.matches(':focus-visible')) move(Math.floor(scrollTop / ROW_HEIGHT));
      }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onClick={(e) => {
        const key = (e.target as HTMLElement).closest<HTMLElement>('.vt-row')?.dataset.key;
        if (key) onSelect(key);
      }}
      onDoubleClick={(e) => {
        const key = (e.target as HTMLElement).closest<HTMLElement>('.vt-row')?.dataset.key;
        if (!key) return;
        window.getSelection()?.removeAllRanges();
        onOpen(key);
      }}
      style={template}
    >
      <div className="vt-head" role="row" aria-rowindex={1}>
        {columns.map((c) => {
          const sorted = sort.column === c.id;
          return (
            <div key={c.id} role="columnheader" className={`vt-cell${c.align === 'right' ? ' right' : ''}`} aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
              {c.sortable ? (
                <button type="button" className="vt-sort" onClick={() => onSort(c.id as C)} title={`Sort by ${c.label.toLowerCase()}`}>
                  {c.label}
                  <span className="vt-arrow" aria-hidden>
                    {sorted ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              ) : (
                c.label
              )}
            </div>
          );
        })}
      </div>
      {rows.length === 0 ? (
        <div className="vt-empty">{empty}</div>
      ) : (
        <div className="vt-body" style={{ height: rows.length * ROW_HEIGHT }}>
          {visible}
        </div>
      )}
    </div>
  );
}
