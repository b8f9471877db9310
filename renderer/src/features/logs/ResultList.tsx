import { useMemo, useRef, useState, type UIEvent } from 'react';
import type { LogHit } from '../../../../shared/contract/logs.js';
import { highlight, highlighter } from '../../../../shared/logs/highlight.js';
import { formatNs } from './format.js';

const ROW = 24;
const OVERSCAN = 20;

/** Only the rows in view are in the DOM, so scrolling stays smooth however many are loaded. */
export function ResultList({ hits, query, hasMore, onNearEnd }: { hits: LogHit[]; query: string; hasMore: boolean; onNearEnd(): void }) {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const box = useRef<HTMLDivElement>(null);
  const pattern = useMemo(() => highlighter(query), [query]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    setScrollTop(el.scrollTop);
    setHeight(el.clientHeight);
    if (hasMore && el.scrollTop + el.clientHeight > el.scrollHeight - ROW * 50) onNearEnd();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(hits.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const hit = hits[i];
    rows.push(
      <div key={i} className="log-row" style={{ top: i * ROW }} role="row" aria-rowindex={i + 1}>
        <span className="log-ts">{formatNs(hit.tsNs)}</span>
        <span className={`level level-${hit.level}`}>{hit.level}</span>
        <span className="log-device">{hit.device}</span>
        <span className="log-source">{hit.unit ?? hit.pod ?? hit.source}</span>
        <span className="log-message">
          {highlight(hit.message, pattern).map((segment, j) => (segment.match ? <mark key={j}>{segment.text}</mark> : segment.text))}
        </span>
      </div>,
    );
  }

  return (
    <div className="log-list" ref={box} onScroll={onScroll} role="grid" aria-label="Log records" aria-rowcount={hits.length}>
      <div style={{ height: hits.length * ROW, position: 'relative' }}>{rows}</div>
    </div>
  );
}
