import type { ReactNode } from 'react';
import { Icon } from './Icon.js';

export interface EmptyStateProps {
  icon: string;
  title: string;
  children: ReactNode;
  /** Numbered next steps for the technician. */
  steps: ReactNode[];
  actions?: ReactNode;
}

export function EmptyState({ icon, title, children, steps, actions }: EmptyStateProps) {
  return (
    <div className="empty-state">
      <div className="empty-icon">
        <Icon src={icon} size={40} />
      </div>
      <h2>{title}</h2>
      <p className="empty-lead">{children}</p>
      <ol className="empty-steps">
        {steps.map((step, i) => (
          <li key={i}>{step}</li>
        ))}
      </ol>
      {actions && <div className="empty-actions">{actions}</div>}
    </div>
  );
}
