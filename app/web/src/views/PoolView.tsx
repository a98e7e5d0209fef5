// Pool: the collateral basket (price, confidence, oracle age with stale prices marked,
// deposits against caps), debt against the ceiling, the pool's collateral ratio, mode,
// pause flags, bad debt.
import { Figure, Figures } from '../components/Figure.js';
import { dollars, duration, percentBps, ratio, tokenPrice, units } from '../format.js';
import { poolFigures } from '../model/pool.js';
import { useApp } from '../state.js';

export function PoolView() {
  const { snapshot, book, collateralName } = useApp();
  if (!snapshot) return null;
  const f = poolFigures(snapshot, book);
  const used = f.ceiling === 0n ? 0n : (f.debt * 10_000n) / f.ceiling;
  return (
    <>
      <section aria-labelledby="pool-figures">
        <h2 id="pool-figures">Debt and solvency</h2>
        <Figures>
          <Figure label="Debt" value={dollars(f.debt)} raw={f.debt} testId="pool-debt" />
          <Figure label="Debt ceiling" value={`${dollars(f.ceiling)} (${percentBps(used)} used)`} raw={f.ceiling} testId="pool-ceiling" />
          <Figure label="Collateral (positions, at spot)" value={dollars(f.collateralValue)} raw={f.collateralValue} testId="pool-collateral-value" />
          <Figure label="Collateral ratio" value={f.collateralRatioWad === null ? '—' : `${ratio(f.collateralRatioWad * 100n)}%`} raw={f.collateralRatioWad} testId="pool-ratio" />
          <Figure label="Mode" value={f.mode} raw={f.mode} testId="pool-mode" tone={f.mode === 'Turbo' ? 'warn' : undefined} />
          <Figure label="Paused" value={f.paused.length === 0 ? 'nothing' : f.paused.join(', ')} raw={f.paused.join(',')} testId="pool-paused" tone={f.paused.length > 0 ? 'warn' : undefined} />
          <Figure label="Bad debt" value={dollars(f.badDebt)} raw={f.badDebt} testId="pool-bad-debt" tone={f.badDebt > 0n ? 'bad' : undefined} />
          <Figure label="Fees pending" value={dollars(f.pendingFees)} raw={f.pendingFees} testId="pool-pending-fees" />
          <Figure label="Stability fee" value={`${percentBps(f.stabilityFeeBps)} APR`} raw={f.stabilityFeeBps} testId="pool-fee" />
          <Figure label="Minimum debt" value={dollars(f.minDebt)} raw={f.minDebt} />
        </Figures>
      </section>
      <section aria-labelledby="basket">
        <h2 id="basket">Collateral basket</h2>
        <div className="table-wrap">
          <table data-testid="basket">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Price</th>
                <th scope="col">EMA</th>
                <th scope="col">Confidence</th>
                <th scope="col">Price age</th>
                <th scope="col">Deposited / cap</th>
                <th scope="col">LTV / threshold</th>
              </tr>
            </thead>
            <tbody>
              {f.collaterals.map((c) => (
                <tr key={c.index} data-testid={`collateral-${c.index}`} data-stale={c.stale ? 'true' : 'false'}>
                  <th scope="row" title={c.mint}>
                    {collateralName(c.index)}
                  </th>
                  <td data-testid={`collateral-${c.index}-price`} data-value={c.priceWad.toString()}>
                    {tokenPrice(c.priceWad, c.decimals)}
                  </td>
                  <td data-value={c.emaPriceWad.toString()}>{tokenPrice(c.emaPriceWad, c.decimals)}</td>
                  <td data-value={c.confWad.toString()}>
                    ±{tokenPrice(c.confWad, c.decimals)} ({percentBps(c.confBps)})
                  </td>
                  <td data-testid={`collateral-${c.index}-age`} data-value={c.ageSecs.toString()} className={c.stale ? 'bad' : undefined}>
                    {duration(c.ageSecs)} {c.stale ? <strong>stale</strong> : null} <span className="muted">(max {duration(c.maxAgeSecs)}{c.oracleFresh ? '' : '; oracle not fresh'})</span>
                  </td>
                  <td data-testid={`collateral-${c.index}-deposited`} data-value={c.deposited.toString()}>
                    {units(c.deposited, c.decimals, 2)} / {units(c.cap, c.decimals, 0)}
                  </td>
                  <td>
                    {percentBps(c.ltvBps)} / {percentBps(c.thresholdBps)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
