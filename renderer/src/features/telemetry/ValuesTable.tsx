import { useEffect, useState } from 'react';
import type { TelemetrySeries } from '../../../../shared/contract/telemetry.js';
import { colorOf } from './LivePlot.js';
import { formatAge, formatValue, seriesLabel } from './format.js';
import { activeBuffers } from './telemetry-store.js';

/** No sample for this long and a value is shown as stale. */
export const STALE_MS = 5000;
const REFRESH_MS = 250;

/** The latest value of each plotted series with its unit; grey once nothing arrived for 5 s. */
export function ValuesTable({ series }: { series: TelemetrySeries[] }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const buffers = activeBuffers();
  const now = Date.now();
  return (
    <table className="values-table" aria-label="Live values">
      <thead>
        <tr>
          <th>Series</th>
          <th className="num">Value</th>
          <th>Unit</th>
          <th>Sample time</th>
          <th>Received</th>
        </tr>
      </thead>
      <tbody>
        {series.map((s, i) => {
          const ring = buffers.rings.get(s.id);
          const received = buffers.receivedAt.get(s.id);
          const stale = received === undefined || now - received > STALE_MS;
          const value = ring && ring.length > 0 ? ring.lastValue : s.lastValue;
          const ts = ring && ring.length > 0 ? ring.lastTs : s.lastTs;
          return (
            <tr key={s.id} className={stale ? 'stale' : undefined} data-series={s.id}>
              <td>
                <span className="swatch" style={{ background: colorOf(i) }} />
                {seriesLabel(s)}
              </td>
              <td className="num" data-testid="live-value">
                {formatValue(value)}
              </td>
              <td>{s.unit}</td>
              <td>{ts === null ? '—' : new Date(ts).toISOString().replace('T', ' ').replace('Z', '')}</td>
              <td>{received === undefined ? 'not live' : formatAge(now - received)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
