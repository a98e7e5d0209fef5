/**
 * Liquidations on the real local cluster, as a keeper runs them with the client: a
 * price crash published through the dev methods, the `health` and
 * `quote_liquidation` views against the mirrored math, a single liquidation sized
 * off-chain, the once-per-slot rule, a batch that skips a healthy position, and an
 * insolvent position settled whole with its bad debt booked.
 */
import { type Address, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import {
  decodeHealthReport,
  decodeLiquidationQuote,
  isEvent,
  LiquidationPlan,
  positionAddress,
  positionLiquidationPlan,
  positionHealthReport,
  positionLiquidationQuote,
  SkipReason,
  tx,
  U64_MAX,
  type LiquidationQuote,
} from '../../src/index.js';
import { startCluster, type Cluster } from './cluster.js';
import { expectProgramError, nextSlot, only, SOL, USD, WAD, World } from './harness.js';

describe('liquidation, end to end', () => {
  let cluster: Cluster;
  let world: World;
  let keeper: KeyPairSigner;
  /** Five borrowers: 1 SOL each, $85 of notes (health 1.41 at $150, 0.94 at $100). */
  let borrowers: KeyPairSigner[];
  /** 2 SOL, $85 of notes: healthy at $100. */
  let healthy: KeyPairSigner;

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    world = await World.deploy(cluster);
    keeper = await world.user({ tBILL: USD(100_000) });
    await world.deposit(keeper, 'tBILL', USD(100_000));
    await world.mint(keeper, USD(50_000));
    borrowers = [];
    for (let i = 0; i < 5; i += 1) {
      const borrower = await world.user({ wSOL: SOL(1) });
      await world.deposit(borrower, 'wSOL', SOL(1));
      await world.mint(borrower, USD(85));
      borrowers.push(borrower);
    }
    healthy = await world.user({ wSOL: SOL(2) });
    await world.deposit(healthy, 'wSOL', SOL(2));
    await world.mint(healthy, USD(85));
  }, 600_000);
  afterAll(async () => cluster?.stop());

  const local = (ctx: TestContext) => {
    if (!cluster.local) ctx.skip();
  };
  const wsol = () => world.ref('wSOL');
  const positionOf = (owner: KeyPairSigner) => positionAddress(world.pool, owner.address);

  it('a crash to $100 makes the positions liquidatable; the health and quote views agree with the mirrored math', async (ctx) => {
    local(ctx);
    const refreshed = await world.refresh(keeper, { wSOL: 100 });
    expect(refreshed.events.filter((e) => e.name === 'OracleRefreshed')).toHaveLength(2);

    const target = borrowers[0]!;
    const health = await tx.health({ pool: world.pool, positionOwner: target.address });
    const healthSimulation = await world.simulate(keeper, health.instructions);
    const report = decodeHealthReport(healthSimulation.returnData!);
    const pool = await world.fetchPool();
    const position = await world.position(target.address);
    expect(report).toEqual(positionHealthReport(pool, position, report.timestamp));

    // The quote carries no timestamp: simulate it within one clock second.
    const quote = await tx.quoteLiquidation({ pool: world.pool, positionOwner: target.address, collateralIndex: 0, repayAmount: U64_MAX });
    let quoted: LiquidationQuote | undefined;
    for (let attempt = 0; attempt < 5 && !quoted; attempt += 1) {
      const before = await world.now();
      const simulation = await world.simulate(keeper, quote.instructions);
      expect(simulation.ok).toBe(true);
      if ((await world.now()) !== before) continue;
      quoted = decodeLiquidationQuote(simulation.returnData!);
      expect(quoted).toEqual(positionLiquidationQuote(pool, position, 0, U64_MAX, before));
    }
    if (!quoted) throw new Error('no quote within one clock second');

    expect(report.liquidatable).toBe(true);
    expect(report.insolvent).toBe(false);
    expect(report.healthWad < WAD && report.healthWad > (9n * WAD) / 10n).toBe(true); // 80 / 85 ≈ 0.94
    expect(quoted.shortfall).toBe(false);
    // Close factor 50%: half the debt, at a bonus of 2% + the 5.88% deficit (1 − 80/85).
    expect(quoted.repay).toBe((report.debt + 1n) / 2n);
    expect(quoted.bonusBps).toBe(788);
    expect(quoted.healthAfterWad > quoted.healthBeforeWad).toBe(true);
  });

  it('liquidates one position as planned off-chain', async (ctx) => {
    local(ctx);
    const target = borrowers[0]!;
    const pool = await world.fetchPool();
    const plan = positionLiquidationPlan(pool, await world.position(target.address), 0, U64_MAX, await world.now());
    const seized = LiquidationPlan.seized(plan, 0);
    const notesBefore = await world.balance(keeper.address, 'notes');
    const { instructions } = await tx.liquidate({
      keeper,
      pool: world.pool,
      positionOwner: target.address,
      collateral: wsol(),
      repayAmount: plan.repay,
      minCollateralOut: (seized * 99n) / 100n,
    });
    const { events } = await world.send(keeper, instructions);
    const event = only(events, 'PositionLiquidated');
    expect(event).toMatchObject({ position: await positionOf(target), keeper: keeper.address, collateralIndex: 0, repaid: plan.repay, badDebt: 0n });
    // A second later the debt, and so the seizure, may have grown by a rounding unit.
    expect(event.seized[0]! - seized).toBeLessThanOrEqual(1n);
    expect(event.healthAfterWad > event.healthBeforeWad).toBe(true);
    expect(await world.balance(keeper.address, 'wSOL')).toBe(event.seized[0]);
    expect(notesBefore - (await world.balance(keeper.address, 'notes'))).toBe(event.repaid);
    expect((await world.position(target.address)).collateral[0]).toBe(SOL(1) - event.seized[0]!);
  });

  it('refuses a second liquidation of the position in one transaction (AlreadyLiquidatedThisSlot)', async (ctx) => {
    local(ctx);
    const target = borrowers[1]!;
    const once = await tx.liquidate({ keeper, pool: world.pool, positionOwner: target.address, collateral: wsol(), repayAmount: USD(10), minCollateralOut: 0 });
    const twice = await tx.liquidate({ keeper, pool: world.pool, positionOwner: target.address, collateral: wsol(), repayAmount: USD(11), minCollateralOut: 0 });
    const before = await world.position(target.address);
    const failure = await expectProgramError(world.send(keeper, [...once.instructions, ...twice.instructions]), 'AlreadyLiquidatedThisSlot');
    expect(failure.programError!.instruction).toBe(3);
    expect(await world.position(target.address)).toEqual(before);
  });

  it('liquidates a batch in one transaction and skips the healthy position', async (ctx) => {
    local(ctx);
    await nextSlot(cluster.rpc);
    const targets = [borrowers[1]!, borrowers[2]!, borrowers[3]!, healthy];
    const positions: Address[] = await Promise.all(targets.map(positionOf));
    const notesBefore = await world.balance(keeper.address, 'notes');
    const solBefore = await world.balance(keeper.address, 'wSOL');
    const { instructions } = await tx.liquidateBatch({ keeper, pool: world.pool, collateral: wsol(), positions, maxRepayTotal: USD(1_000), minCollateralOutTotal: SOL(1) });
    const { events } = await world.send(keeper, instructions);
    const batch = only(events, 'BatchLiquidated');
    expect(batch).toMatchObject({ keeper: keeper.address, collateralIndex: 0, liquidated: 3, skipped: 1 });
    expect(only(events, 'BatchPositionSkipped')).toMatchObject({ position: positions[3], reason: SkipReason.Healthy });
    const each = events.filter(isEvent('BatchPositionLiquidated')).map((e) => e.data);
    expect(each.map((e) => e.position)).toEqual(positions.slice(0, 3));
    expect(each.reduce((sum, e) => sum + e.repaid, 0n)).toBe(batch.repaid);
    expect(notesBefore - (await world.balance(keeper.address, 'notes'))).toBe(batch.repaid);
    expect((await world.balance(keeper.address, 'wSOL')) - solBefore).toBe(batch.seized);
    expect((await world.position(healthy.address)).collateral[0]).toBe(SOL(2));
  });

  it('settles an insolvent position whole and books the bad debt (no tranche holds notes)', async (ctx) => {
    local(ctx);
    const target = borrowers[4]!;
    await world.refresh(keeper, { wSOL: 50 }); // 1 SOL = $50 < $85 owed
    const pool = await world.fetchPool();
    const plan = positionLiquidationPlan(pool, await world.position(target.address), 0, U64_MAX, await world.now());
    expect(plan.kind).toBe('Shortfall');
    const { instructions } = await tx.liquidate({
      keeper,
      pool: world.pool,
      positionOwner: target.address,
      collateral: wsol(),
      repayAmount: plan.repay,
      minCollateralOut: 0,
      trancheCount: pool.trancheCount,
      otherCollaterals: tx.payoutsFor(pool, plan.kind === 'Shortfall' ? plan.seize : [], 0),
    });
    const { events } = await world.send(keeper, instructions);
    const event = only(events, 'PositionLiquidated');
    expect(event.seized[0]).toBe(SOL(1));
    expect(event.badDebt).toBeGreaterThan(0n);
    // The settlement first paid the tranches the income accrued since the last one, so
    // they hold a few notes: they take that much of the loss, the rest is bad debt.
    const loss = only(events, 'LossAllocated');
    const taken = loss.taken.reduce((a, b) => a + b, 0n);
    expect(taken + loss.uncovered).toBe(event.badDebt);
    expect(only(events, 'BadDebtBooked')).toMatchObject({ amount: loss.uncovered });
    const after = await world.position(target.address);
    expect(after.collateral[0]).toBe(0n);
    expect(after.hasDebt).toBe(0);
    expect((await world.fetchPool()).badDebt).toBe(loss.uncovered);
  });

  it('refuses to liquidate a healthy position (PositionHealthy)', async (ctx) => {
    local(ctx);
    await world.refresh(keeper, { wSOL: 150 });
    const { instructions } = await tx.liquidate({ keeper, pool: world.pool, positionOwner: healthy.address, collateral: wsol(), repayAmount: USD(10), minCollateralOut: 0 });
    await expectProgramError(world.send(keeper, instructions), 'PositionHealthy');
  });
});
