/**
 * Recovery sales by the keeper (`recover`) on the real local cluster: a crash the
 * keeper cannot pay for leaves the tranches holding absorbed wSOL; a dry run shows the
 * sale it would make and changes nothing; a minimum profit above the discount stops
 * it; then the keeper buys the wSOL back at spot less the 2% minimum bonus, paying its
 * notes into the tranches' vaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Keeper, keeperOptions, type ActionReport, type KeeperOptions } from '../../keeper/keeper.js';
import { createLogger } from '../../keeper/log.js';
import { KeeperMetrics } from '../../keeper/metrics.js';
import { fetchTranches, tokenBalance, transactionEvents } from '../../admin/chain.js';
import { sendInstructions } from '../../admin/send.js';
import { associatedTokenAddress, isEvent, tx } from '../../src/index.js';
import { openBook } from '../../sim/book.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';
import { publishPrice } from '../../sim/prices.js';
import { buildWorld, type World } from '../../sim/world.js';

const SOL = 1_000_000_000n;
const NOTE = 1_000_000n;
const quiet = createLogger('silent');

describe('keeper recovery sales against the real local cluster', () => {
  let cluster: Cluster;
  let world: World;

  const options = (overrides: Partial<KeeperOptions> = {}): KeeperOptions =>
    keeperOptions(world.state.pool, { pollIntervalMs: 200, rpcRetryDelayMs: 10, recover: true, ...overrides });
  const heldWsol = async () =>
    (await fetchTranches(cluster.rpc, world.state.pool, world.state.tranches.length)).map(({ tranche }) => tranche.collateralHeld[0]!);
  const publish = async (wsolDollars: bigint) => {
    await publishPrice(cluster, world.state, 'wSOL', wsolDollars * 100_000_000n, -8);
    await publishPrice(cluster, world.state, 'tBILL', 100_000_000n, -8);
  };
  const cycle = async (keeper: Keeper) => {
    const actions: ActionReport[] = [];
    keeper.onAction((action) => actions.push(action));
    const report = await keeper.cycle();
    await keeper.idle();
    return { report, actions };
  };

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    // A keeper without notes: the tranches absorb whatever becomes liquidatable.
    world = await buildWorld(cluster, { keeperNotes: 0n });
    await openBook(cluster, world.state, world.authority, Array.from({ length: 3 }, () => ({ deposits: { wSOL: 10n * SOL }, leverage: 0.95 })));
    await publish(100n);
    const absorbing = new Keeper(cluster.rpc, world.keeper.signer, options({ recover: false }), new KeeperMetrics(), quiet);
    const { actions } = await cycle(absorbing);
    expect(actions.filter((a) => a.action === 'absorb' && a.outcome.status === 'landed')).toHaveLength(3);
    // Now notes to buy with, against the keeper's own wSOL.
    const sol = world.state.collaterals.wSOL!;
    const refresh = await tx.refreshOracle({ pool: world.state.pool, oracle: sol.oracle, collateralIndex: sol.index });
    const minted = await tx.mint({ owner: world.keeper.signer, pool: world.state.pool, amount: 10_000n * NOTE });
    await sendInstructions(cluster, world.keeper.signer, [...refresh.instructions, ...minted.instructions]);
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('in a dry run shows the sale it would make and changes nothing', async () => {
    if (!cluster.local) return;
    const before = await heldWsol();
    expect(before.reduce((a, b) => a + b, 0n)).toBeGreaterThan(29n * SOL);
    const { actions } = await cycle(new Keeper(cluster.rpc, world.keeper.signer, options({ dryRun: true }), new KeeperMetrics(), quiet));
    const sales = actions.filter((a) => a.action === 'recover');
    expect(sales.length).toBeGreaterThan(0);
    expect(sales.every((a) => a.outcome.status === 'simulated' && a.outcome.ok)).toBe(true);
    // The discount is 2% of spot: the profit is 2/98 of the notes paid.
    for (const { sale } of sales) expect(sale!.profit * 98n).toBeGreaterThanOrEqual(sale!.notesIn * 2n - 98n);
    expect(await heldWsol()).toEqual(before);
  }, 60_000);

  it('makes no sale whose discount is below its minimum profit', async () => {
    if (!cluster.local) return;
    const metrics = new KeeperMetrics();
    const { actions } = await cycle(new Keeper(cluster.rpc, world.keeper.signer, options({ minProfit: 1_000n * NOTE }), metrics, quiet));
    expect(actions.filter((a) => a.action === 'recover')).toHaveLength(0);
    const skipped = (await metrics.recoveriesSkipped.get()).values.find((v) => v.labels.reason === 'below-min-profit');
    expect(skipped?.value).toBeGreaterThan(0);
  }, 60_000);

  it('buys the absorbed wSOL back: notes into the tranches, wSOL to the keeper, at spot less 2%', async () => {
    if (!cluster.local) return;
    await publish(100n);
    const before = await heldWsol();
    const keeperNotes = await associatedTokenAddress(world.keeper.signer.address, world.state.noteMint);
    const notesBefore = await tokenBalance(cluster.rpc, keeperNotes);
    const { actions } = await cycle(new Keeper(cluster.rpc, world.keeper.signer, options({ minProfit: NOTE }), new KeeperMetrics(), quiet));
    const landed = actions.filter((a) => a.action === 'recover' && a.outcome.status === 'landed');
    expect(landed.length).toBeGreaterThan(0);
    let paid = 0n;
    let bought = 0n;
    for (const { outcome } of landed) {
      const { events } = await transactionEvents(cluster.rpc, (outcome as { signature: string }).signature as never);
      for (const { data } of events.filter(isEvent('CollateralRecovered'))) {
        expect(data).toMatchObject({ buyer: world.keeper.signer.address, collateralIndex: 0, discountBps: 200 });
        // $100 less 2%: 98 notes per wSOL.
        expect(data.priceWad).toBe((98n * NOTE * 10n ** 18n) / SOL);
        expect(data.notesIn).toBe((data.collateralOut * 98n * NOTE + SOL - 1n) / SOL); // rounded up
        paid += data.notesIn;
        bought += data.collateralOut;
      }
    }
    expect(await heldWsol()).toEqual(before.map(() => 0n));
    expect(bought).toBe(before.reduce((a, b) => a + b, 0n));
    expect(notesBefore - (await tokenBalance(cluster.rpc, keeperNotes))).toBe(paid);
  }, 60_000);
});
