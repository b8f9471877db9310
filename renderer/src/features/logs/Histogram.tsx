import { useRef, useState, type MouseEvent } from 'react';
import type { Histogram as HistogramData, TimeRange } from './logs-store.js';
import { formatCount, formatNs } from './format.js';

const HEIGHT = 72;

/** Matches over time; drag across it to zoom into that range. */
export function Histogram({ data, zoomed, onZoom }: { data: HistogramData; zoomed: boolean; onZoom(range: TimeRange | null): void }) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const max = Math.max(1, ...data.counts);
  const n = data.counts.length;
  const from = BigInt(data.fromNs);
  const bucket = BigInt(data.bucketNs);

  const bucketAt = (event: MouseEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return Math.min(n - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * n)));
  };
  const finish = () => {
    if (!drag) return;
    const [a, b] = [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)];
    setDrag(null);
    onZoom({ fromNs: (from + BigInt(a) * bucket).toString(), toNs: (from + BigInt(b + 1) * bucket).toString() });
  };

  return (
    <div className="histogram">
      <svg
        ref={svg}
        viewBox={`0 0 ${n} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${formatCount(data.total)} matches over time`}
        onMouseDown={(e) => setDrag({ from: bucketAt(e), to: bucketAt(e) })}
        onMouseMove={(e) => drag && setDrag({ ...drag, to: bucketAt(e) })}
        onMouseUp={finish}
        onMouseLeave={() => setDrag(null)}
      >
        {drag && <rect className="histogram-selection" x={Math.min(drag.from, drag.to)} width={Math.abs(drag.to - drag.from) + 1} y={0} height={HEIGHT} />}
        {data.counts.map((count, i) =>
          count > 0 ? (
            <rect key={i} className="histogram-bar" x={i + 0.1} width={0.8} y={HEIGHT - (count / max) * HEIGHT} height={(count / max) * HEIGHT}>
              <title>{`${formatNs(from + BigInt(i) * bucket)}: ${formatCount(count)}`}</title>
            </rect>
          ) : null,
        )}
      </svg>
      <div className="histogram-axis">
        <span>{formatNs(data.fromNs)}</span>
        {zoomed && (
          <button className="link-button" onClick={() => onZoom(null)}>
            Show all time
          </button>
        )}
        <span>{formatNs(data.toNs)}</span>
      </div>
    </div>
  );
}
