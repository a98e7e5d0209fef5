/**
 * A closed permissioned pool on the real local cluster: tranche shares reach only
 * allowlisted wallets, whatever token instruction moves them. A wallet's share account
 * is born frozen (the share mint's default account state), the program thaws it for
 * allowlisted wallets (the deposit itself, or anyone's `thaw_share_account`), plain
 * Token-2022 transfers to anyone else fail, and `disallow` freezes the wallet again.
 */
import { getTransferCheckedInstruction } from '@solana-program/token';
import { type Address, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import { tokenBalance } from '../../admin/chain.js';
import { TransactionFailed } from '../../admin/send.js';
import { SHARE_TOKEN_PROGRAM_ADDRESS, shareAccountAddress, tx } from '../../src/index.js';
import { createAssociatedTokenIdempotentInstruction } from '../../src/tx/token-accounts.js';
import { fundedWallet, startCluster, type Cluster } from './cluster.js';
import { expectProgramError, LOCAL_CONFIG, only, USD, World } from './harness.js';

const JUNIOR = 1;

describe('closed permissioned pools, end to end', () => {
  let cluster: Cluster;
  let world: World;
  let investor: KeyPairSigner;
  let shareMint: Address;

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    world = await World.deploy(cluster, { ...LOCAL_CONFIG, pool: { ...LOCAL_CONFIG.pool, id: 11, permissioned: true } });
    investor = await world.user({ tBILL: USD(10_000) }, false);
    await allow(investor.address);
    await world.send(investor, (await tx.openPosition({ owner: investor, pool: world.pool, permissioned: true })).instructions);
    await world.deposit(investor, 'tBILL', USD(10_000));
    await world.mint(investor, USD(2_000));
    const deposit = await tx.trancheDeposit({ depositor: investor, pool: world.pool, index: JUNIOR, trancheCount: 2, amount: USD(1_000), permissioned: true });
    await world.send(investor, deposit.instructions);
    shareMint = deposit.shareMint;
  }, 600_000);
  afterAll(async () => cluster?.stop());

  const local = (ctx: TestContext) => {
    if (!cluster.local) ctx.skip();
  };
  const allow = async (wallet: Address) =>
    world.send(world.authority, (await tx.allow({ payer: world.authority, authority: world.authority, pool: world.pool, wallet })).instructions);
  /** A wallet with its associated share account (created frozen). */
  const walletWithShareAccount = async () => {
    const wallet = await fundedWallet(cluster);
    const account = await shareAccountAddress(wallet.address, shareMint);
    const create = createAssociatedTokenIdempotentInstruction({ payer: wallet, associatedToken: account, owner: wallet.address, mint: shareMint, tokenProgram: SHARE_TOKEN_PROGRAM_ADDRESS });
    await world.send(wallet, [create]);
    return { wallet, account };
  };
  /** A plain Token-2022 transfer of shares, signed by the holder. */
  const transfer = async (from: KeyPairSigner, to: Address, amount: bigint) => {
    const source = await shareAccountAddress(from.address, shareMint);
    const ix = getTransferCheckedInstruction({ source, mint: shareMint, destination: to, authority: from, amount, decimals: 9 }, { programAddress: SHARE_TOKEN_PROGRAM_ADDRESS });
    return world.send(from, [ix]);
  };
  const expectFrozen = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionFailed);
    expect((error as TransactionFailed).logs.join('\n')).toContain('Account is frozen');
  };

  it('thaws the allowlisted depositor\'s share account and refuses transfers to anyone else', async (ctx) => {
    local(ctx);
    const own = await shareAccountAddress(investor.address, shareMint);
    const held = await tokenBalance(cluster.rpc, own);
    expect(held).toBe(USD(1_000) * 1_000n);
    const outsider = await walletWithShareAccount();
    await expectFrozen(transfer(investor, outsider.account, 1_000n));
    await expectProgramError(world.send(investor, (await tx.thawShareAccount({ pool: world.pool, index: JUNIOR, owner: outsider.wallet.address })).instructions), 'NotAllowlisted');
    expect(await tokenBalance(cluster.rpc, own)).toBe(held);
    expect(await tokenBalance(cluster.rpc, outsider.account)).toBe(0n);
  });

  it('lets shares move to a wallet once allowed and thawed, and freezes it again on disallow', async (ctx) => {
    local(ctx);
    const friend = await walletWithShareAccount();
    await allow(friend.wallet.address);
    // Anyone may thaw an allowlisted wallet's account: here the investor does.
    const thaw = await tx.thawShareAccount({ pool: world.pool, index: JUNIOR, owner: friend.wallet.address });
    expect(only((await world.send(investor, thaw.instructions)).events, 'ShareAccountThawed')).toMatchObject({ index: JUNIOR, owner: friend.wallet.address, account: friend.account });
    await transfer(investor, friend.account, 5_000n);
    expect(await tokenBalance(cluster.rpc, friend.account)).toBe(5_000n);

    const disallow = await tx.disallow({ authority: world.authority, pool: world.pool, wallet: friend.wallet.address, trancheCount: 2 });
    const { events } = await world.send(world.authority, disallow.instructions);
    expect(only(events, 'ShareAccountsFrozen')).toMatchObject({ wallet: friend.wallet.address, accounts: 1 });
    await expectFrozen(transfer(friend.wallet, await shareAccountAddress(investor.address, shareMint), 1_000n));
    await expectFrozen(transfer(investor, friend.account, 1_000n));
    expect(await tokenBalance(cluster.rpc, friend.account)).toBe(5_000n);
  });
});
