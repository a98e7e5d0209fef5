// A labelled figure. The formatted text is for people; `data-value` carries the raw
// native value, so tests and tools compare exact numbers with the chain's.
import type { ReactNode } from 'react';

export function Figure({ label, value, raw, testId, tone }: { label: string; value: ReactNode; raw?: bigint | number | string | null; testId?: string; tone?: 'bad' | 'warn' | 'good' }) {
  return (
    <div className={`figure${tone ? ` ${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={raw === undefined || raw === null ? undefined : raw.toString()}>
        {value}
      </dd>
    </div>
  );
}

/** A definition list of figures. */
export const Figures = ({ children }: { children: ReactNode }) => <dl className="figures">{children}</dl>;
