// Health before → after a change, and the borrow limit, as the program will compute
// them; a change the program would refuse is named.
import { ratio, dollars } from '../format.js';
import type { Preview } from '../model/preview.js';

export function HealthPreview({ preview }: { preview: Preview | null }) {
  if (!preview) return <span className="muted">Enter an amount to see the health after it.</span>;
  const { before, after, refusal } = preview;
  return (
    <>
      <span data-testid="health-before" data-value={before.healthWad?.toString()}>
        Health {ratio(before.healthWad)}
      </span>{' '}
      →{' '}
      <strong data-testid="health-after" data-value={after.healthWad?.toString()} className={after.healthWad !== null && after.healthWad < 10n ** 18n ? 'bad' : undefined}>
        {ratio(after.healthWad)}
      </strong>
      <span className="muted">
        {' '}
        (debt {dollars(before.debt)} → {dollars(after.debt)}; borrow limit {after.borrowLimit === null ? '—' : dollars(after.borrowLimit)}; liquidatable below 1.00)
      </span>
      {refusal ? (
        <span className="warn" data-testid="preview-refusal" data-error={refusal}>
          {' '}
          The program will refuse this: {refusal}
        </span>
      ) : null}
    </>
  );
}
