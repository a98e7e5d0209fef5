/**
 * The scene a replay starts from, on the cluster: the pool deployed with its oracles at
 * the path's first prices, the book opened (seeded: every run opens the same one), a
 * keeper holding its note inventory, and one holder per tranche who deposited the
 * tranche's capital (junior first: a senior needs subordination beneath it). The
 * keeper's and holders' notes are borrowed against ten times their value of the first
 * collateral, so they stay healthy through a 90% fall and stay out of the story.
 */
import type { KeyPairSigner } from '@solana/kit';

import { deploy, type DeployConfig, type DeployState } from '../admin/deploy.js';
import { sendInstructions } from '../admin/send.js';
import { tx } from '../src/index.js';
import { random } from '../sim/crash-scene.js';
import { openBook, type Participant, type PositionSpec } from '../sim/book.js';
import { fundedWallet, type Cluster } from '../sim/cluster.js';
import { refreshInstructions } from '../sim/prices.js';
import type { BacktestConfig } from './config.js';
import { pythMantissa, type PathStep } from './path.js';

export type Scene = {
  cluster: Cluster;
  authority: KeyPairSigner;
  state: DeployState;
  keeper: Participant;
  /** Holder of tranche `i`'s shares (index = tranche index). */
  holders: Participant[];
  book: Participant[];
};

const NOTE = 1_000_000;

/** Native note units for `usd` dollars. */
export const notesFor = (usd: number): bigint => BigInt(Math.round(usd * NOTE));

/** The pool config with each collateral's dev oracle at the first step's price. */
export function atFirstPrices(pool: DeployConfig, first: PathStep): DeployConfig {
  return {
    ...pool,
    collaterals: pool.collaterals.map((c) => ({
      ...c,
      oracle: { ...c.oracle, dev: { price: pythMantissa(first.prices[c.name]!), expo: -8 } },
    })),
  } as DeployConfig;
}

/** Native units worth `usd` at `price` dollars per whole token. */
export const unitsFor = (usd: number, price: number, decimals: number) => BigInt(Math.floor((usd / price) * 10 ** decimals));

/** What the book needs of a deployment: each collateral's index and decimals, by name
 * (a `DeployState`, or the model's pool). */
export type BookCollaterals = { collaterals: Record<string, { index: number; decimals: number }> };

/** The seeded book: deposit sizes and leverage drawn uniformly, collateral mix as set. */
export function bookSpecs(config: BacktestConfig, state: BookCollaterals, first: PathStep): PositionSpec[] {
  const { book } = config;
  const rng = random(book.seed);
  const next = () => rng.next().value as number;
  const names = Object.keys(state.collaterals).sort((a, b) => state.collaterals[a]!.index - state.collaterals[b]!.index);
  const [a, b] = [names[0]!, names[1] ?? names[0]!];
  const units = (name: string, usd: number) => unitsFor(usd, first.prices[name]!, state.collaterals[name]!.decimals);
  return Array.from({ length: book.positions }, () => {
    const kind = next();
    const usd = book.minDepositUsd + (book.maxDepositUsd - book.minDepositUsd) * next();
    const deposits: Record<string, bigint> =
      kind < book.firstOnly ? { [a]: units(a, usd) } : kind < book.firstOnly + book.secondOnly ? { [b]: units(b, usd) } : { [a]: units(a, usd / 2), [b]: units(b, usd / 2) };
    return { deposits, leverage: book.minLeverage + (book.maxLeverage - book.minLeverage) * next() };
  });
}

/** Collateral (of the first kind) behind a participant's `usd` of notes: ten times
 * their value, and at least $10,000 of it: a keeper without notes still gets a (small)
 * position, as the recovery phase may borrow. */
export const backingUnits = (usd: number, price: number, decimals: number) => unitsFor(Math.max(usd, 1_000) * 10, price, decimals);

export async function setUpScene(cluster: Cluster, config: BacktestConfig, pool: DeployConfig, first: PathStep): Promise<Scene> {
  const authority = await fundedWallet(cluster, 1_000);
  const state = await deploy(atFirstPrices(pool, first), { ...cluster, authority });
  const firstName = pool.collaterals[0]!.name;
  const backing = (usd: number) => ({ deposits: { [firstName]: backingUnits(usd, first.prices[firstName]!, state.collaterals[firstName]!.decimals) }, leverage: 0 });
  const funders = await openBook(cluster, state, authority, [backing(config.keeper.notesUsd), ...config.tranches.map(backing)]);
  const [keeper, ...holders] = funders as [Participant, ...Participant[]];
  const refresh = await refreshInstructions(state);
  const mintNotes = async (who: Participant, usd: number) => {
    if (usd === 0) return;
    const minted = await tx.mint({ owner: who.signer, pool: state.pool, amount: notesFor(usd) });
    await sendInstructions(cluster, who.signer, [...refresh, ...minted.instructions]);
  };
  await mintNotes(keeper, config.keeper.notesUsd);
  for (const [index, usd] of config.tranches.entries()) await mintNotes(holders[index]!, usd);
  for (let index = config.tranches.length - 1; index >= 0; index -= 1) {
    const amount = notesFor(config.tranches[index]!);
    if (amount === 0n) continue;
    const holder = holders[index]!;
    const built = await tx.trancheDeposit({ depositor: holder.signer, pool: state.pool, index, trancheCount: config.tranches.length, amount });
    await sendInstructions(cluster, holder.signer, built.instructions);
  }
  const book = await openBook(cluster, state, authority, bookSpecs(config, state, first));
  return { cluster, authority, state, keeper, holders, book };
}
