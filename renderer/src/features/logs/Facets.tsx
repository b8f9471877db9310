import type { Facets as FacetsData } from './logs-store.js';
import { formatCount } from './format.js';

const TITLES: Record<keyof FacetsData, string> = { source: 'Source', device: 'Device', level: 'Level' };

/** Top values among the matches; a click narrows the query to one. */
export function Facets({ data, onPick }: { data: FacetsData; onPick(field: string, value: string): void }) {
  return (
    <aside className="facets" aria-label="Facets">
      {(Object.keys(TITLES) as (keyof FacetsData)[]).map((field) => (
        <section key={field}>
          <h3>{TITLES[field]}</h3>
          {data[field].length === 0 && <p className="muted">none</p>}
          <ul>
            {data[field].map(({ value, count }) => (
              <li key={value}>
                <button className="facet" onClick={() => onPick(field, value)} title={`Only ${field}:${value}`}>
                  <span className={field === 'level' ? `level level-${value}` : undefined}>{value}</span>
                  <span className="muted">{formatCount(count)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
