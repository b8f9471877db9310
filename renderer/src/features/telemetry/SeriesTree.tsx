import { useEffect, useRef } from 'react';
import type { TelemetrySeries } from '../../../../shared/contract/telemetry.js';
import { formatAge, seriesLabel } from './format.js';

interface Props {
  series: TelemetrySeries[];
  checked: readonly string[];
  onToggle(ids: string[], on: boolean): void;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return [...groups].sort((a, b) => a[0].localeCompare(b[0]));
}

/** A checkbox for a group: checked when all of it is plotted, half-checked when some is. */
function GroupBox({ ids, checked, label, onToggle }: { ids: string[]; checked: readonly string[]; label: string; onToggle: Props['onToggle'] }) {
  const box = useRef<HTMLInputElement>(null);
  const on = ids.filter((id) => checked.includes(id)).length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = on > 0 && on < ids.length;
  }, [on, ids.length]);
  return <input ref={box} type="checkbox" aria-label={label} checked={on === ids.length} onChange={(e) => onToggle(ids, e.target.checked)} />;
}

/** Device > sensor > field, with checkboxes at every level. */
export function SeriesTree({ series, checked, onToggle }: Props) {
  const now = Date.now();
  return (
    <nav className="series-tree" aria-label="Series">
      {groupBy(series, (s) => s.device).map(([device, ofDevice]) => (
        <details key={device} open>
          <summary>
            <GroupBox ids={ofDevice.map((s) => s.id)} checked={checked} label={`All of ${device}`} onToggle={onToggle} />
            <span className="tree-device">{device}</span>
          </summary>
          {groupBy(ofDevice, (s) => s.sensor).map(([sensor, ofSensor]) => (
            <details key={sensor} open className="tree-sensor">
              <summary>
                <GroupBox ids={ofSensor.map((s) => s.id)} checked={checked} label={`All of ${device} ${sensor}`} onToggle={onToggle} />
                <span>{sensor}</span>
              </summary>
              <ul>
                {ofSensor
                  .sort((a, b) => a.field.localeCompare(b.field))
                  .map((s) => (
                    <li key={s.id} title={`${s.id}\n${s.count} samples${s.lastTs === null ? '' : `, last ${formatAge(now - s.lastTs)}`}`}>
                      <label>
                        <input type="checkbox" aria-label={seriesLabel(s)} checked={checked.includes(s.id)} onChange={(e) => onToggle([s.id], e.target.checked)} />
                        <span className="tree-field">{s.field}</span>
                        {s.unit && <span className="muted">{s.unit}</span>}
                      </label>
                    </li>
                  ))}
              </ul>
            </details>
          ))}
        </details>
      ))}
    </nav>
  );
}
