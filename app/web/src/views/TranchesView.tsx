// Tranches, as Centrifuge's tranche cards: NAV and share price with its history,
// realised yield, target and yield owed, losses, subordination against its minimum,
// capacity, the redemption queue; and the wallet's flows.
import { useMemo } from 'react';

import { Chart } from '../components/Chart.js';
import { Figure, Figures } from '../components/Figure.js';
import { dollars, duration, percentBps, short, SHARE_DECIMALS, units } from '../format.js';
import { TrancheFlows } from '../flows/TrancheFlows.js';
import { useShareHistory, type PricePoint } from '../model/history.js';
import { trancheFigures, type TrancheFigures } from '../model/tranches.js';
import { useApp } from '../state.js';

function PriceHistory({ points, name }: { points: PricePoint[]; name: string }) {
  const data = useMemo(() => [points.map((p) => p[0]), points.map((p) => p[1])] as [number[], number[]], [points]);
  return (
    <>
      {/* One point has no time span: uPlot would stretch the axis over years. */}
      {points.length > 1 ? <Chart title={`${name} share price history`} data={data} series={[{ label: 'share price', stroke: 'rgb(40, 140, 90)', width: 2 }]} height={140} /> : null}
      <p className="muted small" data-testid={`history-${name}`} data-points={points.length}>
        {points.length === 1 ? 'One reading' : `${points.length} readings`} of the share price by this page (kept in this browser, at the cluster's clock); the chart starts at the second.
      </p>
    </>
  );
}

function TrancheCard({ t, history }: { t: TrancheFigures; history: PricePoint[] }) {
  const { snapshot, collateralName } = useApp();
  const id = (name: string) => `tranche-${t.index}-${name}`;
  const held = t.collateralHeld.map((amount, i) => ({ amount, i })).filter((h) => h.amount > 0n);
  return (
    <article className="card" data-testid={`tranche-${t.index}`} aria-labelledby={id('title')}>
      <h2 id={id('title')}>
        {t.name} <span className="muted small">{short(t.address)}</span>
      </h2>
      <Figures>
        <Figure label="NAV" value={dollars(t.nav)} raw={t.nav} testId={id('nav')} />
        <Figure label="Share price" value={`${dollars(t.sharePrice)}`} raw={t.sharePrice} testId={id('price')} />
        <Figure label="Shares" value={units(t.totalShares, SHARE_DECIMALS, 2)} raw={t.totalShares} testId={id('shares')} />
        <Figure label="Notes held" value={dollars(t.notes)} raw={t.notes} testId={id('notes')} />
        <Figure label="Realised yield" value={dollars(t.cumulativeYield)} raw={t.cumulativeYield} testId={id('yield')} />
        <Figure label="Target" value={t.junior ? 'residual' : `${percentBps(t.targetAprBps)} APR`} raw={t.targetAprBps} testId={id('target')} />
        <Figure label="Yield owed" value={dollars(t.yieldOwed)} raw={t.yieldOwed} testId={id('owed')} tone={t.yieldOwed > 0n ? 'warn' : undefined} />
        <Figure label="Losses (outstanding)" value={`${dollars(t.cumulativeLoss)} (${dollars(t.lossOutstanding)})`} raw={t.cumulativeLoss} testId={id('losses')} tone={t.lossOutstanding > 0n ? 'bad' : undefined} />
        <Figure
          label="Subordination / minimum"
          value={t.subordinationBps === null ? 'junior: none needed' : `${percentBps(t.subordinationBps)} / ${percentBps(t.minSubordinationBps)}`}
          raw={t.subordinationBps}
          testId={id('subordination')}
          tone={t.subordinationBps !== null && t.subordinationBps < BigInt(t.minSubordinationBps) ? 'bad' : undefined}
        />
        <Figure label="Capacity" value={t.capacity === null ? 'no limit' : dollars(t.capacity)} raw={t.capacity} testId={id('capacity')} />
        {held.map((h) => (
          <Figure key={h.i} label={`Absorbed ${collateralName(h.i)}`} value={units(h.amount, snapshot!.pool.collaterals[h.i]!.decimals)} raw={h.amount} />
        ))}
      </Figures>
      <PriceHistory points={history} name={t.name} />
      <h3>Redemption queue</h3>
      <p data-testid={id('escrowed')} data-value={t.escrowedShares.toString()}>
        {units(t.escrowedShares, SHARE_DECIMALS, 2)} shares escrowed in {t.queue.length} request{t.queue.length === 1 ? '' : 's'}.
      </p>
      {t.queue.length > 0 ? (
        <ul className="queue" data-testid={id('queue')}>
          {t.queue.map((r) => (
            <li key={r.owner}>
              {short(r.owner)}: {units(r.shares, SHARE_DECIMALS, 2)} shares, {r.ready ? 'claimable now' : `claimable in ${duration(r.claimableAt - snapshot!.now)}`}
            </li>
          ))}
        </ul>
      ) : null}
      <TrancheFlows tranche={t} />
    </article>
  );
}

export function TranchesView() {
  const { snapshot } = useApp();
  const tranches = useMemo(() => (snapshot ? trancheFigures(snapshot) : []), [snapshot]);
  const history = useShareHistory(snapshot?.poolAddress ?? '', tranches, snapshot?.now ?? 0n);
  if (!snapshot) return null;
  return (
    <div className="cards">
      {tranches.map((t, i) => (
        <TrancheCard key={t.address} t={t} history={history[i] ?? []} />
      ))}
    </div>
  );
}
