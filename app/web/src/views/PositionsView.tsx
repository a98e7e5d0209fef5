// Positions: the book's health histogram, the riskiest positions with their distance
// to liquidation, and the connected wallet's own position with its flows.
import { useMemo } from 'react';

import { Chart } from '../components/Chart.js';
import { dollars, percentBps, ratio, short } from '../format.js';
import { PositionFlows } from '../flows/PositionFlows.js';
import { HEALTH_BUCKETS, healthHistogram, riskiest } from '../model/positions.js';
import { useApp } from '../state.js';

const LABELS = HEALTH_BUCKETS.map((b) => b.label);

export function PositionsView() {
  const { book } = useApp();
  const counts = healthHistogram(book);
  const data = useMemo(() => [LABELS.map((_, i) => i), counts] as [number[], number[]], [counts.join(',')]);
  const indebted = book.filter((p) => p.debt > 0n).length;
  const worst = riskiest(book, 10);
  return (
    <>
      <section aria-labelledby="histogram">
        <h2 id="histogram">Health of the book</h2>
        <p>
          <span data-testid="positions-count" data-value={book.length}>{book.length} positions</span>,{' '}
          <span data-testid="positions-indebted" data-value={indebted}>{indebted} owing notes</span>, valued at spot as the program's liquidation does (below 1.00: liquidatable).
        </p>
        <Chart title="Histogram of position health" bars labels={LABELS} data={data} series={[{ label: 'positions', fill: 'rgba(64, 120, 200, 0.6)', stroke: 'rgb(64, 120, 200)' }]} />
        <div className="table-wrap">
          <table data-testid="histogram">
            <caption className="sr-only">Positions per health range</caption>
            <thead>
              <tr>
                {LABELS.map((label) => (
                  <th key={label} scope="col">{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {counts.map((count, i) => (
                  <td key={i} data-testid={`bucket-${i}`} data-value={count}>{count}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="riskiest">
        <h2 id="riskiest">Closest to liquidation</h2>
        <div className="table-wrap">
          <table data-testid="riskiest">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Health</th>
                <th scope="col">Debt</th>
                <th scope="col">Collateral</th>
                <th scope="col">Prices may fall</th>
              </tr>
            </thead>
            <tbody>
              {worst.map((p) => (
                <tr key={p.address} data-address={p.address} className={p.liquidatable ? 'bad' : undefined}>
                  <th scope="row" title={p.address}>{short(p.address)}</th>
                  <td data-value={p.healthWad?.toString()}>{ratio(p.healthWad)}</td>
                  <td data-value={p.debt.toString()}>{dollars(p.debt)}</td>
                  <td>{p.value === null ? '—' : dollars(p.value)}</td>
                  <td data-value={p.distanceBps?.toString()}>{p.liquidatable ? 'liquidatable' : `${percentBps(p.distanceBps ?? 0n)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="mine">
        <h2 id="mine">Your position</h2>
        <PositionFlows />
      </section>
    </>
  );
}
