// Share accounts of permissioned pools: born frozen (the share mints' default account
// state), thawed by the program only for an allowlisted wallet's associated account,
// frozen again by `disallow`. Open pools' share accounts are never frozen.
import type { AccountMeta, Address } from '@solana/kit';

import { getThawShareAccountInstruction } from '../generated/index.js';
import { allowlistEntryAddress, shareAccountAddress, shareMintAddress, trancheAddress } from '../pda.js';
import type { Built } from './built.js';
import { readonlyMeta, writableMeta } from './remaining.js';

/** `disallow`'s remaining accounts: `[tranche, share mint, the wallet's associated
 * share account]` for every tranche, in index order (accounts not created yet are
 * skipped on-chain: they will be born frozen). */
export async function shareAccountFreezeList(pool: Address, wallet: Address, trancheCount: number): Promise<AccountMeta[]> {
  const metas: AccountMeta[] = [];
  for (let index = 0; index < trancheCount; index += 1) {
    const tranche = await trancheAddress(pool, index);
    const shareMint = await shareMintAddress(tranche);
    metas.push(readonlyMeta(tranche), readonlyMeta(shareMint), writableMeta(await shareAccountAddress(wallet, shareMint)));
  }
  return metas;
}

/** `thaw_share_account` (permissionless): thaws `owner`'s associated share account of
 * tranche `index`, so it can receive shares from other allowlisted wallets. `owner`
 * must be on the pool's allowlist. */
export async function thawShareAccount(input: {
  pool: Address;
  index: number;
  owner: Address;
}): Promise<Built<{ shareAccount: Address }>> {
  const tranche = await trancheAddress(input.pool, input.index);
  const shareMint = await shareMintAddress(tranche);
  const shareAccount = await shareAccountAddress(input.owner, shareMint);
  const instruction = getThawShareAccountInstruction({
    pool: input.pool,
    tranche,
    shareMint,
    shareAccount,
    allowlistEntry: await allowlistEntryAddress(input.pool, input.owner),
  });
  return { instructions: [instruction], shareAccount };
}
