/**
 * Tranches on the real local cluster: deposits (and the subordination refusal),
 * the coverage test, a month of stability fees distributed through the waterfall,
 * an unhealthy position absorbed by the tranches for a keeper holding no notes, and
 * redemptions through the queue (request, the delay, claim) paying notes and the
 * absorbed collateral.
 */
import { type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import { tokenBalance } from '../../admin/chain.js';
import { advanceClock } from '../../admin/dev.js';
import { associatedTokenAddress, positionAddress, shareAccountAddress, trancheState, tx } from '../../src/index.js';
import { refreshInstructions } from '../../sim/prices.js';
import { fundedWallet, startCluster, type Cluster } from './cluster.js';
import { expectProgramError, only, SOL, USD, World } from './harness.js';

const SENIOR = 0;
const JUNIOR = 1;

describe('tranches, end to end', () => {
  let cluster: Cluster;
  let world: World;
  let investor: KeyPairSigner;
  let borrower: KeyPairSigner;

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    world = await World.deploy(cluster);
    investor = await world.user({ tBILL: USD(100_000) });
    await world.deposit(investor, 'tBILL', USD(100_000));
    await world.mint(investor, USD(20_000));
    // 10 SOL and $850 of notes: health 1.41 at $150, 0.94 at $100.
    borrower = await world.user({ wSOL: SOL(10) });
    await world.deposit(borrower, 'wSOL', SOL(10));
    await world.mint(borrower, USD(850));
  }, 600_000);
  afterAll(async () => cluster?.stop());

  const local = (ctx: TestContext) => {
    if (!cluster.local) ctx.skip();
  };
  const deposit = async (index: number, amount: bigint) => {
    const { instructions } = await tx.trancheDeposit({ depositor: investor, pool: world.pool, index, trancheCount: 2, amount });
    return world.send(investor, instructions);
  };
  /** Queues `shares` of tranche `index` and waits out the pool's redemption delay. */
  const request = async (index: number, shares: bigint) => {
    const { instructions } = await tx.requestRedemption({ holder: investor, pool: world.pool, index, shares });
    const requested = only((await world.send(investor, instructions)).events, 'RedemptionRequested');
    await advanceClock(cluster.url, (await world.fetchPool()).redemptionDelaySecs);
    await world.refresh(investor); // claims value held collateral at fresh prices
    return requested;
  };
  const claim = async (index: number) => {
    const pool = await world.fetchPool();
    const tranche = trancheState(await world.tranche(index));
    // What the claim can pay out: a share of everything the tranche holds.
    const payouts = tx.payoutsFor(pool, tranche.collateralHeld);
    const { instructions } = await tx.claimRedemption({ holder: investor, pool: world.pool, index, trancheCount: pool.trancheCount, payouts });
    return world.send(investor, instructions);
  };
  const cancel = async (index: number) =>
    world.send(investor, (await tx.cancelRedemption({ holder: investor, pool: world.pool, index })).instructions);

  it('refuses a senior deposit without a junior beneath it, then takes both', async (ctx) => {
    local(ctx);
    await expectProgramError(deposit(SENIOR, USD(1_000)), 'SubordinationBreached');

    const junior = only((await deposit(JUNIOR, USD(3_000))).events, 'TrancheDeposited');
    // First deposit: (0 + 1) / (0 + 1,000) per share, so 1,000 shares per native note.
    expect(junior).toMatchObject({ index: JUNIOR, depositor: investor.address, amount: USD(3_000), shares: USD(3_000) * 1_000n, assets: USD(3_000) });
    const senior = only((await deposit(SENIOR, USD(5_000))).events, 'TrancheDeposited');
    expect(senior).toMatchObject({ index: SENIOR, amount: USD(5_000), assets: USD(5_000) });
    expect((await world.tranche(SENIOR)).assets).toBe(USD(5_000));
    const shareMint = (await world.tranche(JUNIOR)).shareMint;
    expect(await tokenBalance(cluster.rpc, await shareAccountAddress(investor.address, shareMint))).toBe(junior.shares);

    const coverage = await world.send(investor, (await tx.checkCoverage({ pool: world.pool, trancheCount: 2 })).instructions);
    // Junior 3,000 of 8,000 = 37.5%, above the 10% floor: the pool stays Normal.
    expect(only(coverage.events, 'CoverageChecked')).toMatchObject({ coverageBps: 3_750, floorBps: 1_000, oldMode: 0, newMode: 0 });
  });

  it('distributes a month of stability fees: protocol fee, senior target, junior residual', async (ctx) => {
    local(ctx);
    await advanceClock(cluster.url, 30 * 86_400);
    const pool = await world.fetchPool();
    const treasuryBefore = await tokenBalance(cluster.rpc, pool.treasury);
    // The coverage check settled income too (a second's worth, if the clock ticked).
    const [seniorBefore, juniorBefore] = [(await world.tranche(SENIOR)).assets, (await world.tranche(JUNIOR)).assets];
    expect(seniorBefore - USD(5_000)).toBeLessThan(USD(0.0001) * 10n);
    const { events } = await world.send(investor, (await tx.distribute({ pool: world.pool, trancheCount: 2, treasury: pool.treasury })).instructions);
    const income = only(events, 'IncomeDistributed');
    // ~$20,850 owed at 5% (compounded per second) for 30 days ≈ $85.8.
    expect(income.fees).toBeGreaterThan(USD(85));
    expect(income.fees).toBeLessThan(USD(86.5));
    expect(income.protocolFee).toBe((income.fees + 9n) / 10n); // 10%, rounded up
    expect(income.yielded[SENIOR]).toBeGreaterThan(USD(32.8)); // 8% APR on $5,000 for 30 days ≈ $32.93
    expect(income.yielded[SENIOR]).toBeLessThan(USD(33));
    expect(income.yieldOwed[SENIOR]).toBe(0n); // enough income: nothing owed
    expect(income.protocolFee + income.yielded[SENIOR]! + income.yielded[JUNIOR]!).toBe(income.fees);
    // The treasury receives every protocol fee settled so far (the deposits' too).
    const paid = only(events, 'ProtocolFeePaid');
    expect(paid.amount).toBeGreaterThanOrEqual(income.protocolFee);
    expect((await tokenBalance(cluster.rpc, pool.treasury)) - treasuryBefore).toBe(paid.amount);
    expect((await world.fetchPool()).protocolFeeOwed).toBe(0n);
    expect((await world.tranche(SENIOR)).assets).toBe(seniorBefore + income.yielded[SENIOR]!);
    expect((await world.tranche(JUNIOR)).assets).toBe(juniorBefore + income.yielded[JUNIOR]!);
  });

  it('absorbs an unhealthy position into the tranches, junior first, for a keeper without notes', async (ctx) => {
    local(ctx);
    await world.refresh(investor, { wSOL: 100 });
    const keeper = await fundedWallet(cluster);
    const pool = await world.fetchPool();
    const position = await world.position(borrower.address);
    const juniorBefore = await world.tranche(JUNIOR);
    const { instructions } = await tx.absorb({
      keeper,
      pool: world.pool,
      positionOwner: borrower.address,
      trancheCount: pool.trancheCount,
      tips: tx.payoutsFor(pool, position.collateral),
    });
    const { events } = await world.send(keeper, instructions);
    const absorbed = only(events, 'PositionAbsorbed');
    expect(absorbed).toMatchObject({ position: await positionAddress(world.pool, borrower.address), keeper: keeper.address, full: true, debtAfter: 0n });
    expect(absorbed.paid[SENIOR]).toBe(0n);
    expect(absorbed.paid[JUNIOR]).toBeGreaterThan(USD(850));
    expect(absorbed.moved[0]).toBe(SOL(10));
    expect(absorbed.tip[0]).toBe((SOL(10) * 50n) / 10_000n); // keeper_tip_bps 50
    expect(await world.balance(keeper.address, 'wSOL')).toBe(absorbed.tip[0]);
    const junior = await world.tranche(JUNIOR);
    // The absorption settles the income of the seconds since the last settlement first
    // (a confirmation waits for its slot to close, so seconds can pass between the two).
    const accrued = junior.assets - (juniorBefore.assets - absorbed.paid[JUNIOR]!);
    expect(accrued).toBeGreaterThanOrEqual(0n);
    expect(accrued).toBeLessThan(USD(0.01));
    expect(junior.collateralHeld[0]).toBe(SOL(10) - absorbed.tip[0]!);
    const after = await world.position(borrower.address);
    expect(after.collateral[0]).toBe(0n);
    expect(after.hasDebt).toBe(0);
  });

  it('redeems through the queue: the junior may not leave the senior uncovered; claims pay notes and held collateral', async (ctx) => {
    local(ctx);
    const juniorShares = (await world.tranche(JUNIOR)).totalShares;
    const requested = await request(JUNIOR, juniorShares);
    expect(requested).toMatchObject({ index: JUNIOR, holder: investor.address, shares: juniorShares, escrowedShares: juniorShares });
    expect(requested.claimableAt - requested.requestedAt).toBe(BigInt((await world.fetchPool()).redemptionDelaySecs));
    await expectProgramError(claim(JUNIOR), 'SubordinationBreached');
    const back = only((await cancel(JUNIOR)).events, 'RedemptionCancelled');
    expect(back.shares).toBe(juniorShares);

    // Half the junior leaves it at about 28% of the tranches' NAV, above the senior's 20%.
    await request(JUNIOR, juniorShares / 2n);
    const claimed = only((await claim(JUNIOR)).events, 'RedemptionClaimed');
    expect(claimed).toMatchObject({ index: JUNIOR, shares: juniorShares / 2n });
    expect(claimed.collateral[0]).toBeGreaterThan(SOL(4.9)); // half the 9.95 SOL absorbed
    expect(await world.balance(investor.address, 'wSOL')).toBe(claimed.collateral[0]);
    expect((await world.tranche(JUNIOR)).escrowedShares).toBe(0n);

    const seniorShares = (await world.tranche(SENIOR)).totalShares;
    await request(SENIOR, seniorShares);
    const notesBefore = await world.balance(investor.address, 'notes');
    const out = only((await claim(SENIOR)).events, 'RedemptionClaimed');
    expect(out).toMatchObject({ index: SENIOR, shares: seniorShares, totalShares: 0n });
    expect(out.notes).toBeGreaterThan(USD(5_032));
    expect((await world.balance(investor.address, 'notes')) - notesBefore).toBe(out.notes);
  });

  it('sells the absorbed wSOL the junior still holds back for notes, at spot less the minimum liquidation bonus', async (ctx) => {
    local(ctx);
    await world.refresh(investor, { wSOL: 100 });
    const pool = await world.fetchPool();
    const held = (await world.tranche(JUNIOR)).collateralHeld[0]!;
    expect(held).toBeGreaterThan(SOL(4.9));
    const juniorBefore = await world.tranche(JUNIOR);
    // 200 notes buy 2 SOL at $100 less 2% ($98): 2.0408... SOL; the oracle is refreshed
    // in the same transaction, as the sale requires.
    const sale = (minCollateralOut: bigint) =>
      tx.recoverySale({
        keeper: investor,
        pool: world.pool,
        collateral: world.ref('wSOL'),
        index: JUNIOR,
        trancheCount: pool.trancheCount,
        notesIn: USD(200),
        minCollateralOut,
      });
    const refreshes = await refreshInstructions(world.state);
    await expectProgramError(
      world.send(investor, [...refreshes, ...(await sale(SOL(2.05))).instructions]),
      'SlippageExceeded',
    );
    const walletBefore = await world.balance(investor.address, 'wSOL');
    const { events } = await world.send(investor, [...refreshes, ...(await sale(SOL(2.04))).instructions]);
    const recovered = only(events, 'CollateralRecovered');
    expect(recovered).toMatchObject({ index: JUNIOR, collateralIndex: 0, buyer: investor.address, notesIn: USD(200), discountBps: 200 });
    expect(recovered.collateralOut).toBe((USD(200) * 10n ** 9n) / USD(98)); // 2.0408163 SOL
    expect(await world.balance(investor.address, 'wSOL')).toBe(walletBefore + recovered.collateralOut);
    const junior = await world.tranche(JUNIOR);
    expect(junior.collateralHeld[0]).toBe(held - recovered.collateralOut);
    // The sale settles the income of the seconds since the last settlement first.
    const accrued = junior.assets - (juniorBefore.assets + USD(200));
    expect(accrued).toBeGreaterThanOrEqual(0n);
    expect(accrued).toBeLessThan(USD(0.01));
    expect(await tokenBalance(cluster.rpc, junior.vault)).toBe(junior.assets);
  });
});
