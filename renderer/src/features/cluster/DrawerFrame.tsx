import type { ReactNode } from 'react';
import { useCluster } from './cluster-store.js';

export interface DrawerTab {
  id: string;
  label: string;
  /** The k9s-style key that opens it from the table. */
  key: string;
  disabled?: boolean;
}

/** The side panel of a pod or node: title, actions, tabs. Esc (handled by the section) closes it. */
export function DrawerFrame(props: {
  title: string;
  subtitle: ReactNode;
  tabs: DrawerTab[];
  tab: string;
  onTab(id: string): void;
  actions?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const { title, subtitle, tabs, tab, onTab, actions, extra, children } = props;
  return (
    <aside className="cluster-drawer" aria-label={`Details of ${title}`}>
      <header className="drawer-head">
        <div className="drawer-title">
          <h2>{title}</h2>
          <div className="muted drawer-subtitle">{subtitle}</div>
        </div>
        <button className="button drawer-close" aria-label="Close details" title="Close (Esc)" onClick={() => useCluster.setState({ drawer: null })}>
          ✕
        </button>
      </header>
      {(actions || extra) && (
        <div className="drawer-bar">
          {actions && <div className="drawer-actions">{actions}</div>}
          {extra}
        </div>
      )}
      {tabs.length > 0 && (
        <div className="cluster-tabs" role="tablist" aria-label={`${title} views`}>
          {tabs.map((t) => (
            <button
              key={t.id}
              role="tab"
              aria-selected={tab === t.id}
              className={`cluster-tab${tab === t.id ? ' active' : ''}`}
              disabled={t.disabled}
              onClick={() => onTab(t.id)}
              title={`${t.label} (${t.key} in the table)`}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
      <div className="drawer-body" role={tabs.length ? 'tabpanel' : undefined} aria-label={tabs.find((t) => t.id === tab)?.label}>
        {children}
      </div>
    </aside>
  );
}
