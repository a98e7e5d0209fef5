/**
 * A position's life on the real local cluster, through the client alone: deposits of
 * both collaterals (SPL Token and Token-2022), refreshes of both Pyth kinds, minting,
 * the `health` view against the mirrored math, named program errors, repayment (also
 * by someone else), withdrawal and closing; events read from `getTransaction`.
 */
import { type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import { advanceClock } from '../../admin/dev.js';
import { TransactionFailed } from '../../admin/send.js';
import {
  decodeHealthReport,
  positionAddress,
  positionDebt,
  positionHealthReport,
  tx,
  u128FromLe,
} from '../../src/index.js';
import { startCluster, type Cluster } from './cluster.js';
import { expectProgramError, only, SOL, USD, WAD, World } from './harness.js';

describe('a position, end to end', () => {
  let cluster: Cluster;
  let world: World;
  let alice: KeyPairSigner;
  let bob: KeyPairSigner;

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    world = await World.deploy(cluster);
    alice = await world.user({ wSOL: SOL(10), tBILL: USD(10_000) });
    bob = await world.user({ tBILL: USD(10_000) });
  }, 600_000);
  afterAll(async () => cluster?.stop());

  // Every step here needs prices, which only the local cluster's dev methods move.
  const local = (ctx: TestContext) => {
    if (!cluster.local) ctx.skip();
  };

  it('deposits both collaterals, refreshes both Pyth kinds and mints', async (ctx) => {
    local(ctx);
    const position = await positionAddress(world.pool, alice.address);

    const sol = await world.deposit(alice, 'wSOL', SOL(2));
    expect(only(sol.events, 'CollateralDeposited')).toMatchObject({ position, owner: alice.address, collateralIndex: 0, amount: SOL(2), positionCollateral: SOL(2) });
    const bill = await world.deposit(alice, 'tBILL', USD(1_000));
    expect(only(bill.events, 'CollateralDeposited')).toMatchObject({ collateralIndex: 1, amount: USD(1_000) });
    expect(await world.balance(alice.address, 'wSOL')).toBe(SOL(8));
    expect(await world.balance(alice.address, 'tBILL')).toBe(USD(9_000));

    const refreshed = await world.refresh(alice);
    const prices = refreshed.events.filter((e) => e.name === 'OracleRefreshed').map((e) => e.data);
    // $150 per SOL: one lamport is worth 0.15 native note units; $1 per tBILL: 1.
    expect(prices.map((p) => [p.collateralIndex, p.priceWad])).toEqual([
      [0, (15n * WAD) / 100n],
      [1, WAD],
    ]);
    const pool = await world.fetchPool();
    expect(u128FromLe(pool.collaterals[0]!.priceWad)).toBe((15n * WAD) / 100n);
    expect(u128FromLe(pool.collaterals[1]!.priceWad)).toBe(WAD);

    const minted = await world.mint(alice, USD(500));
    const event = only(minted.events, 'NotesMinted');
    expect(event).toMatchObject({ owner: alice.address, amount: USD(500) });
    // Debt is rounded up from the shares issued at the current rate index.
    expect(event.positionDebt - USD(500)).toBeOneOf([0n, 1n]);
    expect(await world.balance(alice.address, 'notes')).toBe(USD(500));
    expect((await world.position(alice.address)).collateral.slice(0, 2)).toEqual([SOL(2), USD(1_000)]);
  });

  it('the health view (simulated, return data) equals the mirrored math', async (ctx) => {
    local(ctx);
    const { instructions } = await tx.health({ pool: world.pool, positionOwner: alice.address });
    const simulation = await world.simulate(alice, instructions);
    expect(simulation.ok).toBe(true);
    const report = decodeHealthReport(simulation.returnData!);
    // Borrow limit 2 × $150 × 60% + $1,000 × 80% = $980; liquidation value $240 + $900.
    expect(report.liquidationValue).toBe(USD(1_140));
    expect(report.borrowLimit).toEqual({ __option: 'Some', value: USD(980) });
    expect(report.liquidatable).toBe(false);
    expect(report.debt).toBeGreaterThanOrEqual(USD(500));
    // The same report from the two accounts' data, at the view's own timestamp.
    const offChain = positionHealthReport(await world.fetchPool(), await world.position(alice.address), report.timestamp);
    expect(offChain).toEqual(report);
  });

  it('minting above the LTV fails as InsufficientCollateralValue, and nothing moves', async (ctx) => {
    local(ctx);
    const before = await world.position(alice.address);
    const failure = await expectProgramError(world.mint(alice, USD(500)), 'InsufficientCollateralValue');
    expect(failure).toBeInstanceOf(TransactionFailed);
    expect(failure.message).toMatch(/^InsufficientCollateralValue: /);
    expect(failure.programError!.instruction).toBe(3); // after two refreshes and the note account
    expect(await world.position(alice.address)).toEqual(before);
    // A dry run names it too.
    const { instructions } = await tx.mint({ owner: alice, pool: world.pool, amount: USD(500) });
    const simulation = await world.simulate(alice, instructions);
    expect(simulation.ok).toBe(false);
    expect(simulation.programError?.name).toBe('InsufficientCollateralValue');
  });

  it('repays, withdraws within the limit, and refuses a withdrawal into unhealth', async (ctx) => {
    local(ctx);
    const { instructions } = await tx.repay({ payer: alice, pool: world.pool, amount: USD(200) });
    const repaid = await world.send(alice, instructions);
    const event = only(repaid.events, 'NotesRepaid');
    expect(event).toMatchObject({ payer: alice.address, amount: USD(200) });
    expect(event.positionDebt).toBeLessThan(USD(301));
    expect(await world.balance(alice.address, 'notes')).toBe(USD(300));

    await world.refresh(alice);
    const ref = world.ref('wSOL');
    const out = await world.send(alice, (await tx.withdraw({ owner: alice, pool: world.pool, collateralIndex: ref.index, mint: ref.mint, amount: SOL(1) })).instructions);
    expect(only(out.events, 'CollateralWithdrawn')).toMatchObject({ collateralIndex: 0, amount: SOL(1), positionCollateral: SOL(1) });
    expect(await world.balance(alice.address, 'wSOL')).toBe(SOL(9));

    // Without the tBILL the limit would be 1 × $150 × 60% = $90 < $300.
    const bill = world.ref('tBILL');
    await expectProgramError(
      world.send(alice, (await tx.withdraw({ owner: alice, pool: world.pool, collateralIndex: bill.index, mint: bill.mint, tokenProgram: bill.tokenProgram, amount: USD(1_000) })).instructions),
      'InsufficientCollateralValue',
    );
  });

  it('anyone may repay a position; then the owner withdraws everything and closes it', async (ctx) => {
    local(ctx);
    await world.deposit(bob, 'tBILL', USD(1_000));
    await world.mint(bob, USD(400));
    const debt = positionDebt(await world.fetchPool(), await world.position(alice.address));
    const { instructions } = await tx.repay({ payer: bob, pool: world.pool, positionOwner: alice.address, amount: tx.REPAY_ALL });
    const repaid = only((await world.send(bob, instructions)).events, 'NotesRepaid');
    expect(repaid).toMatchObject({ payer: bob.address, positionDebt: 0n });
    expect(repaid.amount).toBeGreaterThanOrEqual(debt);
    expect((await world.position(alice.address)).hasDebt).toBe(0);

    for (const [name, amount] of [['wSOL', SOL(1)], ['tBILL', USD(1_000)]] as const) {
      const ref = world.ref(name);
      await world.send(alice, (await tx.withdraw({ owner: alice, pool: world.pool, collateralIndex: ref.index, mint: ref.mint, tokenProgram: ref.tokenProgram, amount })).instructions);
    }
    expect(await world.balance(alice.address, 'wSOL')).toBe(SOL(10));
    expect(await world.balance(alice.address, 'tBILL')).toBe(USD(10_000));
    const closed = await world.send(alice, (await tx.closePosition({ owner: alice, pool: world.pool })).instructions);
    expect(only(closed.events, 'PositionClosed').owner).toBe(alice.address);
    expect((await cluster.rpc.getAccountInfo(await positionAddress(world.pool, alice.address)).send()).value).toBeNull();
  });

  it('names other refusals: a stale price, a zero amount, a paused pool', async (ctx) => {
    local(ctx);
    await expectProgramError(world.deposit(bob, 'tBILL', 0n), 'ZeroAmount');

    const paused = await world.send(world.authority, (await tx.setPauseFlags({ authority: world.authority, pool: world.pool, flags: tx.PauseFlags.Deposit })).instructions);
    expect(only(paused.events, 'PauseFlagsSet')).toMatchObject({ old: 0, new: tx.PauseFlags.Deposit });
    await expectProgramError(world.deposit(bob, 'tBILL', USD(1)), 'Paused');
    await world.send(world.authority, (await tx.setPauseFlags({ authority: world.authority, pool: world.pool, flags: 0 })).instructions);
    await world.deposit(bob, 'tBILL', USD(1));

    // Two minutes later the cached prices are older than max_age_secs (60).
    await advanceClock(cluster.url, 120);
    await expectProgramError(world.send(bob, (await tx.mint({ owner: bob, pool: world.pool, amount: USD(10) })).instructions), 'StalePrice');
    // A fresh publication and refresh put it right.
    await world.mint(bob, USD(10));
  });
});
