import type { StepState } from './join-model.js';

const MARK: Record<StepState, string> = { pending: '○', running: '◌', done: '✓', failed: '✕', skipped: '–' };

/** Steps with their state, as the join and leave runs report them. */
export function StepList({ label, steps }: { label: string; steps: { id: string; label: string; state: StepState; detail?: string }[] }) {
  return (
    <ol className="step-list" aria-label={label}>
      {steps.map((s) => (
        <li key={s.id} className={`step step-${s.state}`} data-step={s.id} data-state={s.state}>
          <span className="step-mark" aria-hidden>
            {MARK[s.state]}
          </span>
          <span className="step-label">{s.label}</span>
          <span className="sr-only">: {s.state}</span>
          {s.detail && <span className="step-detail muted">{s.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
