// Stress: a shock slider per collateral; the book revalued at the moved prices with the
// same mirrored math as `npm run stress` (`stressBook`): the positions that become
// liquidatable or insolvent, the shortfall, and the loss per tranche, junior first.
import { Health, positionDebtShares, stressBook, type Shock } from '@strata/client';
import { useId, useMemo, useState } from 'react';

import { Figure, Figures } from '../components/Figure.js';
import { dollars, percentBps, ratio, short } from '../format.js';
import { trancheName } from '../model/tranches.js';
import { useApp } from '../state.js';

function Slider({ index, value, onChange }: { index: number; value: number; onChange(value: number): void }) {
  const { collateralName } = useApp();
  const id = useId();
  return (
    <div className="slider">
      <label htmlFor={id}>{collateralName(index)}</label>
      <input id={id} type="range" min={-90} max={50} step={1} value={value} data-testid={`shock-${index}`} onChange={(e) => onChange(Number(e.target.value))} aria-valuetext={`${value}%`} />
      <output htmlFor={id} data-testid={`shock-${index}-value`}>{value > 0 ? `+${value}` : value}%</output>
    </div>
  );
}

export function StressView() {
  const { snapshot } = useApp();
  const count = snapshot?.pool.collateralCount ?? 0;
  const [moves, setMoves] = useState<number[]>(() => Array.from({ length: count }, () => 0));
  const indebted = useMemo(() => (snapshot ? snapshot.positions.filter((p) => p.account.hasDebt !== 0) : []), [snapshot]);
  const result = useMemo(() => {
    if (!snapshot) return null;
    const shock: Shock = { name: 'slider', movesBps: new Map(moves.map((m, i) => [i, BigInt(m * 100)])) };
    const market = { state: snapshot.pool, now: snapshot.now, debt: snapshot.debt, views: snapshot.views, tranches: snapshot.tranches.map((t) => t.state) };
    return stressBook(market, indebted.map((p) => ({ collateral: p.account.collateral, debtShares: positionDebtShares(p.account) })), shock);
  }, [snapshot, indebted, moves.join(',')]);
  if (!snapshot || !result) return null;
  const names = snapshot.tranches.map((_, i) => trancheName(i, snapshot.tranches.length));
  return (
    <>
      <section aria-labelledby="shocks">
        <h2 id="shocks">Price shocks</h2>
        {Array.from({ length: count }, (_, i) => (
          <Slider key={i} index={i} value={moves[i] ?? 0} onChange={(v) => setMoves((m) => m.map((x, j) => (j === i ? v : x)))} />
        ))}
        <button type="button" onClick={() => setMoves(moves.map(() => 0))}>Reset</button>
      </section>
      <section aria-labelledby="stress-result" aria-live="polite">
        <h2 id="stress-result">Result</h2>
        <Figures>
          <Figure label="Liquidatable" value={`${result.liquidatable} of ${result.positions}`} raw={result.liquidatable} testId="stress-liquidatable" tone={result.liquidatable > 0 ? 'warn' : undefined} />
          <Figure label="Insolvent" value={result.insolvent} raw={result.insolvent} testId="stress-insolvent" tone={result.insolvent > 0 ? 'bad' : undefined} />
          <Figure label="Unpriced (stale)" value={result.unpriced} raw={result.unpriced} testId="stress-unpriced" />
          <Figure label="Debt at risk" value={dollars(result.debtAtRisk)} raw={result.debtAtRisk} testId="stress-debt-at-risk" />
          <Figure label="Shortfall" value={dollars(result.shortfall)} raw={result.shortfall} testId="stress-shortfall" />
          <Figure label="Uncovered (bad debt)" value={dollars(result.uncovered)} raw={result.uncovered} testId="stress-uncovered" tone={result.uncovered > 0n ? 'bad' : undefined} />
        </Figures>
        <div className="table-wrap">
          <table data-testid="stress-tranches">
            <thead>
              <tr>
                <th scope="col">Tranche</th>
                <th scope="col">NAV before</th>
                <th scope="col">Loss</th>
                <th scope="col">NAV after</th>
              </tr>
            </thead>
            <tbody>
              {names.map((name, i) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{dollars(result.navBefore[i] ?? 0n)}</td>
                  <td data-testid={`stress-loss-${i}`} data-value={(result.trancheLoss[i] ?? 0n).toString()}>{dollars(result.trancheLoss[i] ?? 0n)}</td>
                  <td data-testid={`stress-nav-after-${i}`} data-value={(result.navAfter[i] ?? 0n).toString()}>{dollars(result.navAfter[i] ?? 0n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {result.atRisk.length > 0 ? (
          <>
            <h3>Positions liquidatable after the shock</h3>
            <ul className="at-risk" data-testid="stress-at-risk">
              {result.atRisk.slice(0, 20).map((p) => (
                <li key={indebted[p.index]!.address}>
                  {short(indebted[p.index]!.address)}: health {ratio(Health.ratioWad(p.health))}, debt {dollars(p.health.debt)}{p.insolvent ? ' — insolvent' : ''}
                </li>
              ))}
              {result.atRisk.length > 20 ? <li className="muted">and {result.atRisk.length - 20} more</li> : null}
            </ul>
          </>
        ) : null}
        <p className="muted small">Moves every price (spot, EMA, confidence) of a collateral by the percentage; values at spot; assumes insolvent positions are settled at the moved prices; no second-round effects. Moves of {moves.map((m) => percentBps(m * 100)).join(', ')}.</p>
      </section>
    </>
  );
}
