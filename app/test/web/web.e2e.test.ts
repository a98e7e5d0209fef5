/// <reference lib="dom" />
/**
 * The web app in headless Chromium against the real local cluster: a demo pool
 * (`web/dev/demo.ts`: the deploy library, a book of positions, a month of fees, a
 * queued redemption), the app as `npm run web:build` builds it, and a Wallet Standard
 * test wallet registered in the page that signs with a test keypair. Every figure the
 * test checks is compared with the chain's state read through the client at the
 * cluster time the page computed it for (`data-now`).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';

import { createKeyPairSignerFromPrivateKeyBytes, type Address, type KeyPairSigner } from '@solana/kit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fetchPool, fetchPosition, fetchTranche, tokenBalance } from '../../admin/chain.js';
import { advanceClock } from '../../admin/dev.js';
import { sendInstructions } from '../../admin/send.js';
import {
  associatedTokenAddress,
  DebtState,
  decodePositionData,
  getStrataErrorMessage,
  Health,
  noteMintAddress,
  parseShock,
  poolDebtState,
  positionAddress,
  positionDebtShares,
  positionFilters,
  positionHealthReport,
  PriceBasis,
  refreshedViews,
  shareAccountAddress,
  STRATA_ERROR__INSUFFICIENT_COLLATERAL_VALUE,
  STRATA_PROGRAM_ADDRESS,
  stressBook,
  trancheNav,
  trancheState,
  u128FromLe,
  WAD,
  type Pool,
} from '../../src/index.js';
import { mintCollateral } from '../../sim/book.js';
import { publishCrashPrices } from '../../sim/crash-scene.js';
import { airdrop, startCluster, type Cluster } from '../../sim/cluster.js';
import { buildDemo, webFile, type Demo } from '../../web/dev/demo.js';
import { buildApp, pageWithWallet, screenshot, serveApp, startBrowser, type Browser } from './browser.js';

const SOL = 1_000_000_000n;
const NOTE = 1_000_000n;
const JUNIOR = 1;

describe('the web app in Chromium, on the local cluster', { timeout: 90_000 }, () => {
  let cluster: Cluster;
  let demo: Demo;
  let app: { url: string; close(): Promise<void> };
  let browser: Browser;
  let user: KeyPairSigner;
  let page: Page;
  let pool: Address;
  const shots: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    // The app's build and Chromium's start need no cluster: they overlap the demo's set-up.
    const built = buildApp();
    const started = startBrowser();
    const ready = Promise.allSettled([built, started]);
    try {
      demo = await buildDemo(cluster, { positions: 24 });
    } finally {
      // Even when the demo fails: afterAll then closes what was started.
      const [b, s] = await ready;
      if (s.status === 'fulfilled') browser = s.value;
      if (b.status === 'fulfilled' && !demo) rmSync(b.value, { recursive: true, force: true });
    }
    pool = demo.world.state.pool;
    app = await serveApp(await built, webFile(cluster, demo));
    browser = await started;
    const secretKey = Uint8Array.from(randomBytes(32));
    user = await createKeyPairSignerFromPrivateKeyBytes(secretKey);
    await airdrop(cluster.rpc, [user.address], 10);
    const authority = demo.world.authority;
    await sendInstructions(cluster, authority, await mintCollateral(demo.world.state, authority, authority, 'wSOL', 20n * SOL, user.address));
    page = await pageWithWallet(browser, { secretKey, rpcUrl: cluster.url });
    await page.goto(app.url);
    await page.evaluate(() => ((window as unknown as { __loadedOnce: boolean }).__loadedOnce = true));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await cluster?.stop();
  });

  const skipUnlessLocal = (ctx: { skip(): void }) => {
    if (!cluster.local) ctx.skip();
  };

  /** Goes to a view by its link and waits for it and a reading. */
  const view = async (id: string) => {
    await page.click(`nav a[href="#/${id}"]`);
    await page.waitForSelector(`main[data-view="${id}"] h2`);
  };
  /** `data-value`s of the elements named by `data-testid`, with the page's clock, read
   * in one go (one render, one reading). */
  const read = async (ids: readonly string[]) =>
    page.evaluate((ids) => {
      const value = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-value') ?? null;
      const now = document.querySelector('[data-testid="live-mode"]')?.getAttribute('data-now') ?? null;
      return { now, values: Object.fromEntries(ids.map((id) => [id, value(id)])) };
    }, ids);
  const big = (value: string | null | undefined) => {
    if (value === null || value === undefined) throw new Error('no value on the page');
    return BigInt(value);
  };
  /** Waits until a figure's `data-value` satisfies `predicate`. */
  const waitFor = async (id: string, predicate: string, timeout = 15_000) =>
    page.waitForFunction(
      ([id, predicate]) => {
        const value = document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-value');
        return value !== null && value !== undefined && new Function('v', `return ${predicate}`)(BigInt(value));
      },
      [id, predicate] as const,
      { timeout },
    );
  /** Sends started by a form so far (its status's `data-attempt`). */
  const attempts = (id: string) =>
    page.evaluate((id) => Number(document.querySelector(`[data-testid="${id}-status"]`)?.getAttribute('data-attempt') ?? 0), id);
  /** Does `action` (a click, a key) and waits for the outcome of the send it started. */
  const act = async (id: string, action: () => Promise<void>) => {
    const before = await attempts(id);
    await action();
    return outcome(id, before);
  };
  /** Submits a form by typing the amount and pressing Enter; waits for the outcome. */
  const submit = async (id: string, amount: string) => {
    await page.fill(`[data-testid="${id}-amount"]`, amount);
    return act(id, () => page.press(`[data-testid="${id}-amount"]`, 'Enter'));
  };
  /** The outcome of a send after the `before`th, read in the same task that sees it
   * (the status may move or go a moment later, as the next reading re-renders). */
  const outcome = async (id: string, before: number) => {
    const handle = await page
      .waitForFunction(
        ([id, before]) => {
          const el = document.querySelector(`[data-testid="${id}-status"]`);
          const status = el?.getAttribute('data-status');
          if (!el || Number(el.getAttribute('data-attempt')) <= before || (status !== 'landed' && status !== 'refused')) return null;
          return { status, error: el.getAttribute('data-error'), signature: el.getAttribute('data-signature'), text: (el as HTMLElement).innerText };
        },
        [id, before] as const,
        { timeout: 30_000 },
      )
      .catch(async (error: Error) => {
        // Say where the flow stopped: never sent (idle), or sent and never confirmed.
        const where = await page.evaluate((id) => {
          const el = document.querySelector(`[data-testid="${id}-status"]`);
          return el ? `attempt ${el.getAttribute('data-attempt')}, ${el.getAttribute('data-status')}: ${(el as HTMLElement).innerText}` : 'no status element';
        }, id);
        throw new Error(`${id} did not land or get refused (${where})`, { cause: error });
      });
    return (await handle.jsonValue())!;
  };
  const positions = async (p: Address) => {
    const accounts = await cluster.rpc.getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: positionFilters({ pool: p }) }).send();
    return accounts.map(({ account }) => decodePositionData(Buffer.from(account.data[0], 'base64')));
  };
  const oracleViews = async (state: Pool, now: bigint) => {
    const listed = state.collaterals.slice(0, state.collateralCount);
    const { value } = await cluster.rpc.getMultipleAccounts(listed.map((c) => c.oracle), { encoding: 'base64' }).send();
    return refreshedViews(state, value.map((a) => (a ? { owner: a.owner, data: Buffer.from(a.data[0], 'base64') } : null)), now).views;
  };

  /** Publishes fresh Pyth prices (the pool accepts them at most 60 s old; a slow set-up
   * can outlast that) and waits for a page reading taken after them. */
  const freshPrices = async () => {
    await publishCrashPrices(cluster, demo.world.state, 150);
    const slot = await cluster.rpc.getSlot({ commitment: 'confirmed' }).send();
    await page.waitForFunction((slot) => BigInt(document.querySelector('[data-testid="live-mode"]')?.getAttribute('data-slot') ?? '0') > BigInt(slot), slot.toString(), { timeout: 15_000 });
  };

  it('shows the pool, its tranches and its book as the chain has them', async (ctx) => {
    skipUnlessLocal(ctx);
    await freshPrices();
    await view('pool');
    const poolIds = ['pool-debt', 'pool-ceiling', 'pool-mode', 'pool-paused', 'pool-bad-debt', 'pool-pending-fees'];
    const collateralIds = [0, 1].flatMap((i) => [`collateral-${i}-price`, `collateral-${i}-age`, `collateral-${i}-deposited`]);
    const seen = await read([...poolIds, ...collateralIds]);
    const now = big(seen.now);
    const state = await fetchPool(cluster.rpc, pool);
    const accrued = DebtState.accrue(poolDebtState(state), now).state;
    expect(big(seen.values['pool-debt'])).toBe(DebtState.totalDebt(accrued));
    expect(big(seen.values['pool-ceiling'])).toBe(state.debtCeiling);
    expect(big(seen.values['pool-bad-debt'])).toBe(state.badDebt);
    expect(big(seen.values['pool-pending-fees'])).toBe(accrued.pendingFees);
    expect(seen.values['pool-mode']).toBe(state.mode === 0 ? 'Normal' : 'Turbo');
    expect(seen.values['pool-paused']).toBe('');
    for (const i of [0, 1]) {
      const c = state.collaterals[i]!;
      expect(big(seen.values[`collateral-${i}-price`])).toBe(u128FromLe(c.priceWad));
      expect(big(seen.values[`collateral-${i}-age`])).toBe(now - c.publishTime);
      expect(big(seen.values[`collateral-${i}-deposited`])).toBe(c.totalDeposited);
    }
    shots.push(await screenshot(page, 'pool'));

    await view('tranches');
    const trancheIds = [0, 1].flatMap((i) => ['nav', 'shares', 'yield', 'escrowed', 'notes'].map((f) => `tranche-${i}-${f}`));
    const cards = await read(trancheIds);
    const at = big(cards.now);
    const after = await fetchPool(cluster.rpc, pool);
    for (const i of [0, 1]) {
      const tranche = (await fetchTranche(cluster.rpc, demo.world.state.tranches[i]!))!;
      expect(big(cards.values[`tranche-${i}-nav`])).toBe(trancheNav(after, tranche, at));
      expect(big(cards.values[`tranche-${i}-shares`])).toBe(tranche.totalShares);
      expect(big(cards.values[`tranche-${i}-notes`])).toBe(tranche.assets);
      expect(big(cards.values[`tranche-${i}-yield`])).toBe(tranche.cumulativeYield);
      expect(big(cards.values[`tranche-${i}-escrowed`])).toBe(tranche.escrowedShares);
    }
    // The demo's junior LP queued a tenth of its shares.
    expect(big(cards.values[`tranche-${JUNIOR}-escrowed`])).toBeGreaterThan(0n);
    expect(await page.locator(`[data-testid="tranche-${JUNIOR}-queue"] li`).count()).toBe(1);
    shots.push(await screenshot(page, 'tranches'));

    await view('positions');
    const book = await read(['positions-count', ...Array.from({ length: 7 }, (_, i) => `bucket-${i}`)]);
    const bookAt = big(book.now);
    const all = await positions(pool);
    expect(Number(book.values['positions-count'])).toBe(all.length);
    const bounds = [0n, WAD, (WAD * 110n) / 100n, (WAD * 125n) / 100n, (WAD * 150n) / 100n, 2n * WAD, 3n * WAD];
    const counts = bounds.map(() => 0);
    // Valued as the page says it values the book: at the prices the next refresh_oracle
    // would cache from the oracle accounts (what a liquidation sees), on the spot basis.
    const fresh = await fetchPool(cluster.rpc, pool);
    const debtAt = DebtState.accrue(poolDebtState(fresh), bookAt).state;
    const views = await oracleViews(fresh, bookAt);
    for (const p of all.filter((p) => p.hasDebt !== 0)) {
      const slots = views.map((v, i) => ({ ...v, amount: p.collateral[i] ?? 0n }));
      const healthWad = Health.ratioWad(Health.compute(slots, DebtState.debtOf(debtAt, positionDebtShares(p)), PriceBasis.Spot, bookAt));
      const bucket = bounds.length - 1 - [...bounds].reverse().findIndex((b) => healthWad >= b);
      counts[bucket]! += 1;
    }
    expect(counts.map((_, i) => Number(book.values[`bucket-${i}`]))).toEqual(counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
  });

  it('connects a Wallet Standard wallet, which opens a position, deposits, mints and sees its health update by subscription', async (ctx) => {
    skipUnlessLocal(ctx);
    await page.click('button:has-text("Connect Strata Test Wallet")');
    await page.waitForSelector(`[data-testid="wallet"][data-address="${user.address}"]`);
    await view('positions');
    expect((await act('open', () => page.click('[data-testid="open-submit"]'))).status).toBe('landed');
    await page.waitForSelector('[data-testid="my-position"]');
    expect(await fetchPosition(cluster.rpc, await positionAddress(pool, user.address))).not.toBeNull();

    // The wSOL radio is selected by default; Enter submits.
    const deposited = await submit('deposit', '10');
    expect(deposited.status).toBe('landed');
    await waitFor('my-collateral-0', `v === ${10n * SOL}n`);
    expect((await fetchPosition(cluster.rpc, await positionAddress(pool, user.address)))!.collateral[0]).toBe(10n * SOL);

    // Health before and after, shown before signing: 10 wSOL at $150 weighted 80% against $500.
    await publishCrashPrices(cluster, demo.world.state, 150);
    await page.fill('[data-testid="mint-amount"]', '500');
    const before = await page.getAttribute('[data-testid="mint-preview"] [data-testid="health-before"]', 'data-value');
    const previewed = big(await page.getAttribute('[data-testid="mint-preview"] [data-testid="health-after"]', 'data-value'));
    expect(before).toBe(((1n << 128n) - 1n).toString()); // no debt: infinite health
    expect(previewed).toBeGreaterThan((WAD * 2399n) / 1000n);
    expect(previewed).toBeLessThanOrEqual((WAD * 24n) / 10n);
    const signedBefore = await page.evaluate(() => (window as unknown as { __strataTestWallet: { signed: number } }).__strataTestWallet.signed);
    const minted = await act('mint', () => page.press('[data-testid="mint-amount"]', 'Enter'));
    expect(minted.status).toBe('landed');
    expect(await page.evaluate(() => (window as unknown as { __strataTestWallet: { signed: number } }).__strataTestWallet.signed)).toBe(signedBefore + 1);
    // No reload, no re-read forced by the flow: the live reading brings the new health.
    await waitFor('my-debt', `v >= ${500n * NOTE}n`);
    const mode = await page.getAttribute('[data-testid="live-mode"]', 'data-mode');
    expect(['slot subscription', 'account subscriptions']).toContain(mode);
    expect(await page.evaluate(() => (window as unknown as { __loadedOnce?: boolean }).__loadedOnce)).toBe(true);
    const seen = await read(['my-health', 'my-debt', 'my-limit']);
    const position = (await fetchPosition(cluster.rpc, await positionAddress(pool, user.address)))!;
    const report = positionHealthReport(await fetchPool(cluster.rpc, pool), position, big(seen.now));
    expect(big(seen.values['my-health'])).toBe(report.healthWad);
    expect(big(seen.values['my-debt'])).toBe(report.debt);
    // What the preview promised, to the cent of health shown.
    expect(report.healthWad / 10n ** 16n).toBe(previewed / 10n ** 16n);
    expect(await tokenBalance(cluster.rpc, await associatedTokenAddress(user.address, await noteMintAddress(pool)))).toBe(500n * NOTE);
    // The README's picture (docs/web-app.png is a copy): a next mint's preview on show.
    await page.fill('[data-testid="mint-amount"]', '100');
    shots.push(await screenshot(page, 'positions'));
  });

  it('shows a mint the program refuses by its error name and message, and nothing moves', async (ctx) => {
    skipUnlessLocal(ctx);
    const address = await positionAddress(pool, user.address);
    const sharesBefore = positionDebtShares((await fetchPosition(cluster.rpc, address))!);
    await publishCrashPrices(cluster, demo.world.state, 150);
    await page.fill('[data-testid="mint-amount"]', '100000');
    await expect(page.getAttribute('[data-testid="preview-refusal"]', 'data-error')).resolves.toBe('InsufficientCollateralValue');
    const refused = await act('mint', () => page.click('[data-testid="mint-submit"]'));
    expect(refused.status).toBe('refused');
    expect(refused.error).toBe('InsufficientCollateralValue');
    expect(refused.text).toContain(getStrataErrorMessage(STRATA_ERROR__INSUFFICIENT_COLLATERAL_VALUE));
    expect(positionDebtShares((await fetchPosition(cluster.rpc, address))!)).toBe(sharesBefore);
    shots.push(await screenshot(page, 'refused-mint', false));
  });

  it('repays and withdraws', async (ctx) => {
    skipUnlessLocal(ctx);
    const address = await positionAddress(pool, user.address);
    const debtBefore = big((await read(['my-debt'])).values['my-debt']);
    expect((await submit('repay', '100')).status).toBe('landed');
    await waitFor('my-debt', `v < ${debtBefore - 99n * NOTE}n`);
    await publishCrashPrices(cluster, demo.world.state, 150);
    expect((await submit('withdraw', '1')).status).toBe('landed');
    await waitFor('my-collateral-0', `v === ${9n * SOL}n`);
    const position = (await fetchPosition(cluster.rpc, address))!;
    expect(position.collateral[0]).toBe(9n * SOL);
    const wsol = demo.world.state.collaterals.wSOL!;
    expect(await tokenBalance(cluster.rpc, await associatedTokenAddress(user.address, wsol.mint, wsol.tokenProgram))).toBe(11n * SOL);
  });

  it('revalues the book under the stress slider with the same math as npm run stress', async (ctx) => {
    skipUnlessLocal(ctx);
    await publishCrashPrices(cluster, demo.world.state, 150);
    await view('stress');
    await waitFor('stress-liquidatable', 'v === 0n');
    const slider = page.locator('[data-testid="shock-0"]');
    await slider.focus();
    for (let i = 0; i < 40; i += 1) await page.keyboard.press('ArrowLeft');
    await expect(page.locator('[data-testid="shock-0-value"]').innerText()).resolves.toBe('-40%');
    const seen = await read(['stress-liquidatable', 'stress-insolvent', 'stress-debt-at-risk', 'stress-loss-0', 'stress-loss-1']);
    const now = big(seen.now);
    const state = await fetchPool(cluster.rpc, pool);
    const book = (await positions(pool)).filter((p) => p.hasDebt !== 0);
    const market = {
      state,
      now,
      debt: DebtState.accrue(poolDebtState(state), now).state,
      views: await oracleViews(state, now),
      tranches: await Promise.all(demo.world.state.tranches.map(async (t) => trancheState((await fetchTranche(cluster.rpc, t))!))),
    };
    const expected = stressBook(market, book.map((p) => ({ collateral: p.collateral, debtShares: positionDebtShares(p) })), parseShock('0=-40', 2));
    expect(expected.liquidatable).toBeGreaterThan(0);
    expect(Number(seen.values['stress-liquidatable'])).toBe(expected.liquidatable);
    expect(Number(seen.values['stress-insolvent'])).toBe(expected.insolvent);
    expect(big(seen.values['stress-debt-at-risk'])).toBe(expected.debtAtRisk);
    expect(big(seen.values['stress-loss-0'])).toBe(expected.trancheLoss[0]);
    expect(big(seen.values['stress-loss-1'])).toBe(expected.trancheLoss[1]);
    shots.push(await screenshot(page, 'stress'));
  });

  it('works at phone width and by keyboard', async (ctx) => {
    skipUnlessLocal(ctx);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const id of ['pool', 'tranches', 'positions', 'activity', 'stress']) {
      await view(id);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${id} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
      if (id === 'positions' || id === 'tranches') shots.push(await screenshot(page, `phone-${id}`));
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // From the top of the page, Tab reaches the Pool link, Enter opens the view.
    await page.goto(`${app.url}#/stress`);
    await page.waitForSelector('main[data-view="stress"] h2');
    const focused = () => page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent ?? ''}`);
    let reached = false;
    for (let i = 0; i < 30 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = (await focused()) === 'A:Tranches';
    }
    expect(reached, 'Tab reaches the Tranches link').toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-view="tranches"] h2');
    // The skip link and the rest are focusable with visible focus; the first control
    // after the navigation is reachable too.
    let formReached = false;
    for (let i = 0; i < 60 && !formReached; i += 1) {
      await page.keyboard.press('Tab');
      formReached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid')?.endsWith('-deposit-amount') ?? false);
    }
    expect(formReached, 'Tab reaches a tranche deposit field').toBe(true);
  });

  it('deposits into a tranche, requests a redemption, cancels it, and claims one after the delay', async (ctx) => {
    skipUnlessLocal(ctx);
    await view('tranches');
    await page.waitForSelector(`[data-testid="tranche-${JUNIOR}-deposit-amount"]`);
    await publishCrashPrices(cluster, demo.world.state, 150);
    expect((await submit(`tranche-${JUNIOR}-deposit`, '100')).status).toBe('landed');
    const shareMint = (await fetchTranche(cluster.rpc, demo.world.state.tranches[JUNIOR]!))!.shareMint;
    const shares = await tokenBalance(cluster.rpc, await shareAccountAddress(user.address, shareMint));
    expect(shares).toBeGreaterThan(0n);
    await waitFor(`tranche-${JUNIOR}-my-shares`, `v === ${shares}n`);

    await page.click(`[data-testid="tranche-${JUNIOR}-redeem-form"] button:has-text("Max")`);
    expect((await act(`tranche-${JUNIOR}-redeem`, () => page.click(`[data-testid="tranche-${JUNIOR}-redeem-submit"]`))).status).toBe('landed');
    await page.waitForSelector(`[data-testid="tranche-${JUNIOR}-request"][data-shares="${shares}"]`);
    expect((await act(`tranche-${JUNIOR}-cancel`, () => page.click(`[data-testid="tranche-${JUNIOR}-cancel-submit"]`))).status).toBe('landed');
    await waitFor(`tranche-${JUNIOR}-my-shares`, `v === ${shares}n`);

    await page.click(`[data-testid="tranche-${JUNIOR}-redeem-form"] button:has-text("Max")`);
    expect((await act(`tranche-${JUNIOR}-redeem`, () => page.click(`[data-testid="tranche-${JUNIOR}-redeem-submit"]`))).status).toBe('landed');
    await page.waitForSelector(`[data-testid="tranche-${JUNIOR}-request"]`);
    // Before the pool's delay the program refuses the claim by name.
    const early = await act(`tranche-${JUNIOR}-claim`, () => page.click(`[data-testid="tranche-${JUNIOR}-claim-submit"]`));
    expect([early.status, early.error]).toEqual(['refused', 'RedemptionNotReady']);
    await advanceClock(cluster.url, (await fetchPool(cluster.rpc, pool)).redemptionDelaySecs);
    await publishCrashPrices(cluster, demo.world.state, 150);
    const notesBefore = await tokenBalance(cluster.rpc, await associatedTokenAddress(user.address, await noteMintAddress(pool)));
    await page.waitForSelector(`[data-testid="tranche-${JUNIOR}-request"]:has-text("claimable now")`);
    expect((await act(`tranche-${JUNIOR}-claim`, () => page.click(`[data-testid="tranche-${JUNIOR}-claim-submit"]`))).status).toBe('landed');
    await waitFor(`tranche-${JUNIOR}-my-shares`, 'v === 0n');
    const notesAfter = await tokenBalance(cluster.rpc, await associatedTokenAddress(user.address, await noteMintAddress(pool)));
    expect(notesAfter - notesBefore).toBeGreaterThanOrEqual(99n * NOTE);
  });

  it("lists the pool's events in the activity feed, each linked by signature", async (ctx) => {
    skipUnlessLocal(ctx);
    await view('activity');
    const sources = page.locator('[data-testid="feed-sources"]');
    const history = (await sources.getAttribute('data-history')) === 'true';
    // The mint carried a refresh_oracle: its OracleRefreshed event is in the feed.
    await page.waitForSelector('[data-testid="feed"] li[data-event="OracleRefreshed"]');
    await page.waitForSelector('[data-testid="feed"] li[data-event="RedemptionClaimed"]');
    const links = await page.locator('[data-testid="feed"] li a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.every((href) => /\/tx\/[1-9A-HJ-NP-Za-km-z]{64,88}/.test(href))).toBe(true);
    if (history) await page.waitForSelector('[data-testid="feed"] li[data-event="IncomeDistributed"]');
    shots.push(await screenshot(page, 'activity'));
    expect(browser.errors).toEqual([]);
    console.log(`web app screenshots:\n  ${shots.join('\n  ')}`);
  });
});
