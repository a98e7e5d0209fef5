/**
 * The stress test command's blocks: the pool's book read from a cluster and each
 * scenario printed as a table. The scenarios themselves are the client's mirrored
 * stress math (`src/stress.ts`: `stressBook`, `parseShock`), shared with the web app's
 * Stress view.
 */
import { address, type Address, type Rpc, type SolanaRpcApi } from '@solana/kit';

import { parseShock, stressBook, type StressResult } from '../src/index.js';
import { readMarket } from '../keeper/market.js';
import { scanPositions } from '../keeper/scanner.js';
import { dollars } from './snapshot.js';

export { parseShock, shockViews, stressBook, type Shock, type StressResult } from '../src/index.js';

/** Every collateral down 10% to 50%. */
export const DEFAULT_SHOCKS = ['all=-10', 'all=-20', 'all=-30', 'all=-40', 'all=-50'];

/** Senior first, junior last. */
const trancheNames = (count: number): string[] =>
  count === 0 ? [] : count === 1 ? ['junior'] : ['senior', ...['mezzanine', 'mezzanine 2'].slice(0, count - 2), 'junior'];

/** The results as a table, one row per scenario. */
export function formatStress(results: readonly StressResult[], trancheCount: number): string {
  const names = trancheNames(trancheCount);
  const head = ['shock', 'liquidatable', 'insolvent', 'debt at risk', 'shortfall', ...names.map((n) => `${n} loss`), 'uncovered', ...names.map((n) => `${n} NAV after`)];
  const rows = results.map((r) => [
    r.shock.name,
    `${r.liquidatable}/${r.positions}${r.unpriced > 0 ? ` (${r.unpriced} unpriced)` : ''}`,
    `${r.insolvent}`,
    dollars(r.debtAtRisk),
    dollars(r.shortfall),
    ...r.trancheLoss.map(dollars),
    dollars(r.uncovered),
    ...r.navAfter.map(dollars),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** Every indebted position of `pool`, as the chain has it now, under each shock
 * (see `parseShock`); the table `formatStress` prints. */
export async function stressPool(rpc: Rpc<SolanaRpcApi>, pool: Address, shocks: readonly string[], names: Record<string, number> = {}): Promise<string> {
  // The market reader also reads a keeper's note balance; nobody's is needed here.
  const market = await readMarket(rpc, pool, address('11111111111111111111111111111111'));
  const parsed = shocks.map((text) => parseShock(text, market.state.collateralCount, names));
  const positions = await scanPositions(rpc, pool);
  const results = parsed.map((shock) => stressBook(market, positions, shock));
  return `${positions.length} indebted positions\n${formatStress(results, market.tranches.length)}`;
}
