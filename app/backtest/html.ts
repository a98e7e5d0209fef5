/**
 * The replay as one self-contained HTML file: the summary, the price paths, the
 * liquidations and absorptions per day, the tranches' share prices and the junior
 * coverage against its floor, drawn with Chart.js (inlined, so the file opens offline
 * and can be mailed as it is).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { rowsJson, trancheName } from './report.js';
import type { StepRow } from './rows.js';

/** Chart.js's UMD build (its package exports only the module builds; the UMD file sits
 * beside them). */
const chartJs = () => readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function reportHtml(input: { title: string; rows: readonly StepRow[]; summary: string; parameters: Record<string, string> }): string {
  const data = rowsJson(input.rows);
  const names = Object.keys(input.rows[0]?.prices ?? {});
  const count = input.rows[0]?.tranches.length ?? 0;
  const days = [...new Set(data.map((r) => r.date))];
  const perDay = (field: 'liquidated' | 'settled' | 'absorbed') => days.map((d) => data.filter((r) => r.date === d).reduce((s, r) => s + r[field], 0));
  const labels = data.map((r) => `${r.date} ${r.kind}`);
  const start = data[0]?.prices ?? {};
  const series = {
    labels,
    days,
    prices: names.map((n) => ({ label: `${n} (% of start, $${start[n]})`, data: data.map((r) => Math.round((r.prices[n]! / start[n]!) * 10_000) / 100) })),
    actions: [
      { label: 'partial liquidations', data: perDay('liquidated') },
      { label: 'settled whole', data: perDay('settled') },
      { label: 'absorbed', data: perDay('absorbed') },
    ],
    sharePrices: Array.from({ length: count }, (_, i) => ({ label: trancheName(i, count), data: data.map((r) => r.tranches[i]!.sharePrice) })),
    coverage: [
      { label: 'junior coverage %', data: data.map((r) => r.juniorCoveragePct) },
      { label: 'floor %', data: data.map((r) => r.coverageFloorPct), borderDash: [6, 4] },
    ],
  };
  const parameters = Object.entries(input.parameters)
    .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(input.title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #1d2330; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  pre { background: #f4f6f9; padding: 1rem; overflow-x: auto; }
  table { border-collapse: collapse; } th, td { text-align: left; padding: .2rem .8rem .2rem 0; }
  .chart { position: relative; height: 320px; }
</style>
</head>
<body>
<h1>${escape(input.title)}</h1>
<h2>Summary</h2>
<pre>${escape(input.summary)}</pre>
<h2>Parameters</h2>
<table>${parameters}</table>
<h2>Price paths (each step: open, the day's low, high, close)</h2>
<div class="chart"><canvas id="prices" aria-label="price paths"></canvas></div>
<h2>Liquidations and absorptions per day</h2>
<div class="chart"><canvas id="actions" aria-label="liquidations and absorptions per day"></canvas></div>
<h2>Tranche share prices (dollars per share)</h2>
<div class="chart"><canvas id="shares" aria-label="tranche share prices"></canvas></div>
<h2>Junior coverage against its floor</h2>
<div class="chart"><canvas id="coverage" aria-label="junior coverage against the floor"></canvas></div>
<script>${chartJs()}</script>
<script>
const series = ${JSON.stringify(series)};
const line = (id, labels, datasets, y) => new Chart(document.getElementById(id), {
  type: 'line',
  data: { labels, datasets: datasets.map((d) => ({ pointRadius: 0, borderWidth: 2, ...d })) },
  options: { maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false }, scales: { y: { title: { display: true, text: y } } } },
});
line('prices', series.labels, series.prices, '% of the first price');
new Chart(document.getElementById('actions'), {
  type: 'bar',
  data: { labels: series.days, datasets: series.actions },
  options: { maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'positions' } } } },
});
line('shares', series.labels, series.sharePrices, 'dollars per share');
line('coverage', series.labels, series.coverage, 'junior NAV / all tranches, %');
</script>
<script type="application/json" id="rows">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}
