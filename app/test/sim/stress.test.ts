import { describe, expect, it } from 'vitest';

import type { Market } from '../../keeper/market.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';
import { DebtState, TrancheState, type CollateralView } from '../../src/index.js';
import { formatStress, parseShock, stressBook } from '../../sim/stress.js';

const WAD = 10n ** 18n;
const NOW = 1_000_000n;
const NOTE = 1_000_000n;

// One collateral (9 decimals) at $100: 1 native unit is worth 100e6 / 1e9 notes.
const view: CollateralView = {
  amount: 0n,
  price: { priceWad: (100n * NOTE * WAD) / 1_000_000_000n, emaPriceWad: (100n * NOTE * WAD) / 1_000_000_000n, confWad: 0n, publishTime: NOW },
  limits: { maxAgeSecs: 60n, maxConfBps: 200n, maxEmaDeviationBps: 1_000n },
  ltvBps: 7_000n,
  liquidationThresholdBps: 8_000n,
  liquidationBonusMinBps: 200n,
  liquidationBonusMaxBps: 1_000n,
};

const tranche = (assets: bigint): TrancheState => ({
  assets,
  totalShares: assets * 1_000n,
  targetAprBps: 0n,
  minSubordinationBps: 0n,
  lastSettledTs: NOW,
  yieldOwedWad: 0n,
  escrowedShares: 0n,
  lossOutstanding: 0n,
  cumulativeYield: 0n,
  cumulativeLoss: 0n,
  collateralHeld: new Array<bigint>(8).fill(0n),
});

const market = {
  state: { closeFactorBps: 5_000, collateralCount: 1 },
  now: NOW,
  debt: { totalShares: 1_900n * NOTE, rateIndexWad: WAD, stabilityFeeBps: 0n, lastAccrualTs: NOW, pendingFees: 0n, debtCeiling: 10n ** 15n, minDebt: 0n } satisfies DebtState,
  views: [view],
  tranches: [tranche(1_000n * NOTE), tranche(300n * NOTE)],
} as unknown as Market;

// Debt shares are notes at a rate index of 1.0 (the book below owes 1,900 in all).
// Each position holds 10 units ($1,000).
const position = (debtNotes: bigint): PositionSnapshot => ({
  address: '11111111111111111111111111111111' as PositionSnapshot['address'],
  collateral: [10n * 1_000_000_000n],
  debtShares: debtNotes * NOTE,
  flags: 0,
  lastLiquidatedSlot: 0n,
});

describe('stressBook', () => {
  const book = [position(410n), position(700n), position(790n)];

  it('finds no liquidatable position without a move', () => {
    const result = stressBook(market, book, parseShock('all=0', 1));
    expect([result.liquidatable, result.insolvent, result.shortfall]).toEqual([0, 0, 0n]);
    expect(result.navAfter).toEqual(result.navBefore);
  });

  it('counts the positions a fall makes liquidatable, by the liquidation threshold', () => {
    // At -10% ($900 of collateral, $720 weighted): the $790 position only.
    const result = stressBook(market, book, parseShock('0=-10', 1));
    expect(result.liquidatable).toBe(1);
    expect(result.debtAtRisk).toBe(790n * NOTE);
    expect(result.insolvent).toBe(0);
    // The web app lists them: which one, its health at the moved prices, solvent.
    expect(result.atRisk).toEqual([{ index: 2, health: { weightedCollateral: 720n * NOTE, debt: 790n * NOTE }, insolvent: false }]);
  });

  it('books what insolvent positions leave uncovered on the junior tranche first, then the senior', () => {
    // At -50% ($500 of collateral each): 700 and 790 are insolvent by 200 and 290
    // (before bonus); 410 is liquidatable ($400 weighted) but solvent.
    const result = stressBook(market, book, parseShock('all=-50', 1));
    expect(result.liquidatable).toBe(3);
    expect(result.insolvent).toBe(2);
    expect(result.atRisk.map((p) => [p.index, p.insolvent])).toEqual([[0, false], [1, true], [2, true]]);
    expect(result.shortfall).toBeGreaterThanOrEqual(490n * NOTE);
    expect(result.trancheLoss[1]).toBe(300n * NOTE);
    expect(result.trancheLoss[0]).toBe(result.shortfall - 300n * NOTE);
    expect(result.uncovered).toBe(0n);
    expect(result.navAfter[1]).toBe(0n);
    expect(formatStress([result], 2)).toContain('senior loss');
  });

  it('takes the loss from a junior holding absorbed collateral and no notes before the senior loses anything', () => {
    // The junior holds 6 units ($600 before the move, $300 at -50%) and no notes: the
    // senior's notes pay the ~$490 shortfall, and the junior hands over its units at
    // the moved price until its $300 is gone; the senior loses only the rest.
    const junior = { ...tranche(0n), totalShares: 1_000n, collateralHeld: [6n * 1_000_000_000n, 0n, 0n, 0n, 0n, 0n, 0n, 0n] };
    const withHeld = { ...market, tranches: [tranche(1_000n * NOTE), junior] } as unknown as Market;
    const result = stressBook(withHeld, book, parseShock('all=-50', 1));
    expect(result.navBefore[1]).toBe(600n * NOTE);
    expect(result.trancheLoss[1]).toBe(300n * NOTE);
    expect(result.trancheLoss[0]).toBe(result.shortfall - 300n * NOTE);
    expect(result.navAfter[1]).toBe(0n);
    expect(result.navAfter[0]).toBe(1_000n * NOTE - (result.shortfall - 300n * NOTE));
  });
});

describe('parseShock', () => {
  it('reads names, indices, all, and decimals', () => {
    expect(parseShock('wSOL=-12.5,1=+3', 2, { wSOL: 0 }).movesBps).toEqual(new Map([[0, -1_250n], [1, 300n]]));
    expect(parseShock('all=-20', 2).movesBps).toEqual(new Map([[0, -2_000n], [1, -2_000n]]));
  });

  it('refuses unknown collaterals and malformed moves', () => {
    expect(() => parseShock('wBTC=-20', 2, { wSOL: 0 })).toThrow(/unknown collateral "wBTC"/);
    expect(() => parseShock('2=-20', 2)).toThrow(/unknown collateral "2"/);
    expect(() => parseShock('wSOL=down', 2, { wSOL: 0 })).toThrow(/NAME=PERCENT/);
  });
});
