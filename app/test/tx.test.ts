import {
  AccountRole,
  appendTransactionMessageInstructions,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Blockhash,
  type Instruction,
} from '@solana/kit';
import { describe, expect, it } from 'vitest';

import {
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  collateralRefs,
  decodePoolData,
  OracleKind,
  STRATA_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  tx,
  vaultAddress,
} from '../src/index.js';
import { hexBytes, obj, section, str, vectors, type Case } from './vectors.js';

type Input = Record<string, unknown>;
const addr = (value: unknown) => value as Address;
const signer = (value: unknown) => createNoopSigner(addr(value));
const num = (value: unknown) => Number(value as string);
const big = (value: unknown) => BigInt(value as string);
const params = (value: unknown) =>
  Object.fromEntries(Object.entries(value as Record<string, string>).map(([k, v]) => [k, BigInt(v)])) as never;
const optNum = (value: unknown) => (value === undefined ? undefined : num(value));
const collateral = (value: unknown): tx.PayoutInput => {
  const c = value as Record<string, string>;
  return {
    index: num(c.index),
    mint: addr(c.mint),
    tokenProgram: addr(c.tokenProgram),
    ...(c.destination ? { destination: addr(c.destination) } : {}),
  };
};
const collaterals = (value: unknown) => (value === undefined ? undefined : (value as unknown[]).map(collateral));
const target = (i: Input) => ({
  ...(i.position ? { position: addr(i.position) } : {}),
  ...(i.positionOwner ? { positionOwner: addr(i.positionOwner) } : {}),
});
const source = (value: unknown) => {
  const s = value as { kind: 'PythLegacy' | 'PythPull'; feedId: string };
  return { kind: OracleKind[s.kind], feedId: hexBytes(s.feedId) };
};

/** The tx builder each vector's instruction name maps to, fed from the vector input. */
const builders: Record<string, (i: Input) => Promise<tx.Built>> = {
  initPool: (i) =>
    tx.initPool({
      payer: signer(i.payer),
      authority: signer(i.authority),
      treasuryOwner: addr(i.treasuryOwner),
      poolId: big(i.poolId),
      params: params(i.params),
      permissioned: i.permissioned === true,
    }),
  addCollateral: (i) =>
    tx.addCollateral({
      payer: signer(i.payer),
      authority: signer(i.authority),
      pool: addr(i.pool),
      mint: addr(i.mint),
      tokenProgram: addr(i.tokenProgram),
      oracle: addr(i.oracle),
      oracleSource: source(i.oracleSource),
      params: params(i.params),
    }),
  updatePool: (i) => tx.updatePool({ authority: signer(i.authority), pool: addr(i.pool), treasury: addr(i.treasury), params: params(i.params) }),
  updateCollateral: (i) => {
    const oracle = i.oracle as { address: string; source: unknown } | undefined;
    return tx.updateCollateral({
      authority: signer(i.authority),
      pool: addr(i.pool),
      collateralIndex: num(i.collateralIndex),
      params: params(i.params),
      ...(oracle ? { oracle: { address: addr(oracle.address), source: source(oracle.source) } } : {}),
    });
  },
  setPauseFlags: (i) => tx.setPauseFlags({ authority: signer(i.authority), pool: addr(i.pool), flags: num(i.flags) }),
  proposeAuthority: (i) => tx.proposeAuthority({ authority: signer(i.authority), pool: addr(i.pool), newAuthority: addr(i.newAuthority) }),
  acceptAuthority: (i) => tx.acceptAuthority({ newAuthority: signer(i.newAuthority), pool: addr(i.pool) }),
  openPosition: (i) =>
    tx.openPosition({ payer: signer(i.payer), owner: signer(i.owner), pool: addr(i.pool), permissioned: i.permissioned === true }),
  closePosition: (i) => tx.closePosition({ owner: signer(i.owner), pool: addr(i.pool) }),
  deposit: (i) =>
    tx.deposit({ owner: signer(i.owner), pool: addr(i.pool), collateralIndex: num(i.collateralIndex), mint: addr(i.mint), tokenProgram: addr(i.tokenProgram), amount: big(i.amount) }),
  withdraw: (i) =>
    tx.withdraw({ owner: signer(i.owner), pool: addr(i.pool), collateralIndex: num(i.collateralIndex), mint: addr(i.mint), tokenProgram: addr(i.tokenProgram), amount: big(i.amount) }),
  refreshOracle: (i) => tx.refreshOracle({ pool: addr(i.pool), oracle: addr(i.oracle), collateralIndex: num(i.collateralIndex) }),
  mint: (i) => tx.mint({ owner: signer(i.owner), pool: addr(i.pool), amount: big(i.amount) }),
  repay: (i) => tx.repay({ payer: signer(i.payer), pool: addr(i.pool), positionOwner: addr(i.positionOwner), amount: big(i.amount) }),
  initTranche: (i) =>
    tx.initTranche({ payer: signer(i.payer), authority: signer(i.authority), pool: addr(i.pool), index: num(i.index), params: params(i.params) }),
  updateTranche: (i) => tx.updateTranche({ authority: signer(i.authority), pool: addr(i.pool), index: num(i.index), params: params(i.params) }),
  allow: (i) => tx.allow({ payer: signer(i.payer), authority: signer(i.authority), pool: addr(i.pool), wallet: addr(i.wallet) }),
  disallow: (i) =>
    tx.disallow({
      authority: signer(i.authority),
      pool: addr(i.pool),
      wallet: addr(i.wallet),
      ...(i.rentReceiver ? { rentReceiver: addr(i.rentReceiver) } : {}),
      ...(optNum(i.trancheCount) !== undefined ? { trancheCount: optNum(i.trancheCount)! } : {}),
    }),
  thawShareAccount: (i) => tx.thawShareAccount({ pool: addr(i.pool), index: num(i.index), owner: addr(i.owner) }),
  trancheDeposit: (i) =>
    tx.trancheDeposit({
      depositor: signer(i.depositor),
      pool: addr(i.pool),
      index: num(i.index),
      trancheCount: num(i.trancheCount),
      amount: big(i.amount),
      permissioned: i.permissioned === true,
    }),
  requestRedemption: (i) =>
    tx.requestRedemption({
      holder: signer(i.holder),
      pool: addr(i.pool),
      index: num(i.index),
      shares: big(i.shares),
      permissioned: i.permissioned === true,
    }),
  claimRedemption: (i) =>
    tx.claimRedemption({
      holder: signer(i.holder),
      pool: addr(i.pool),
      index: num(i.index),
      trancheCount: num(i.trancheCount),
      permissioned: i.permissioned === true,
      ...(i.payouts ? { payouts: collaterals(i.payouts)! } : {}),
    }),
  cancelRedemption: (i) => tx.cancelRedemption({ holder: signer(i.holder), pool: addr(i.pool), index: num(i.index) }),
  distribute: (i) => tx.distribute({ pool: addr(i.pool), trancheCount: num(i.trancheCount), treasury: addr(i.treasury) }),
  checkCoverage: (i) => tx.checkCoverage({ pool: addr(i.pool), trancheCount: num(i.trancheCount) }),
  liquidate: (i) =>
    tx.liquidate({
      keeper: signer(i.keeper),
      pool: addr(i.pool),
      collateral: collateral(i.collateral),
      ...target(i),
      repayAmount: big(i.repayAmount),
      minCollateralOut: big(i.minCollateralOut),
      ...(optNum(i.trancheCount) !== undefined ? { trancheCount: optNum(i.trancheCount)! } : {}),
      ...(i.otherCollaterals ? { otherCollaterals: collaterals(i.otherCollaterals)! } : {}),
    }),
  liquidateBatch: (i) =>
    tx.liquidateBatch({
      keeper: signer(i.keeper),
      pool: addr(i.pool),
      collateral: collateral(i.collateral),
      positions: (i.positions as string[]).map(addr),
      maxRepayTotal: big(i.maxRepayTotal),
      minCollateralOutTotal: big(i.minCollateralOutTotal),
      ...(optNum(i.trancheCount) !== undefined ? { trancheCount: optNum(i.trancheCount)! } : {}),
    }),
  absorb: (i) =>
    tx.absorb({
      keeper: signer(i.keeper),
      pool: addr(i.pool),
      ...target(i),
      trancheCount: num(i.trancheCount),
      ...(i.tips ? { tips: collaterals(i.tips)! } : {}),
    }),
  recoverySale: (i) =>
    tx.recoverySale({
      keeper: signer(i.keeper),
      pool: addr(i.pool),
      collateral: collateral(i.collateral),
      index: num(i.index),
      trancheCount: num(i.trancheCount),
      notesIn: big(i.notesIn),
      minCollateralOut: big(i.minCollateralOut),
    }),
  flagShortfall: (i) => tx.flagShortfall({ pool: addr(i.pool), ...target(i) }),
  clearShortfallFlag: (i) => tx.clearShortfallFlag({ pool: addr(i.pool), ...target(i) }),
  health: (i) => tx.health({ pool: addr(i.pool), ...target(i) }),
  quoteLiquidation: (i) =>
    tx.quoteLiquidation({ pool: addr(i.pool), ...target(i), collateralIndex: num(i.collateralIndex), repayAmount: big(i.repayAmount) }),
};

const isSigner = (role: AccountRole) => role === AccountRole.READONLY_SIGNER || role === AccountRole.WRITABLE_SIGNER;
const isWritable = (role: AccountRole) => role === AccountRole.WRITABLE || role === AccountRole.WRITABLE_SIGNER;

function shape(ix: Instruction) {
  return {
    programAddress: ix.programAddress,
    accounts: (ix.accounts ?? []).map((a) => ({ address: a.address, signer: isSigner(a.role), writable: isWritable(a.role) })),
    data: Buffer.from(ix.data ?? new Uint8Array()).toString('hex'),
  };
}

describe('instruction builders (vs Anchor-encoded instructions from the Rust test bench)', () => {
  const cases = section('instructions');

  it('cover every instruction of the IDL', async () => {
    const idl = (await import('../idl/strata.json', { with: { type: 'json' } })).default as { instructions: { name: string }[] };
    const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    expect(new Set(cases.map((c) => str(c.name)))).toEqual(new Set(idl.instructions.map((i) => camel(i.name))));
    expect(Object.keys(builders).sort()).toEqual(idl.instructions.map((i) => camel(i.name)).sort());
  });

  it.each(cases.map((c, n) => [`${str(c.name)} #${n}`, c] as const))('%s', async (_, c: Case) => {
    const built = await builders[str(c.name)]!(obj(c.input));
    const strata = built.instructions.filter((ix) => ix.programAddress === STRATA_PROGRAM_ADDRESS);
    expect(strata).toHaveLength(1);
    expect(shape(strata[0]!)).toEqual(c.instruction);
    // Signers ride along for `signTransactionMessageWithSigners`.
    for (const meta of strata[0]!.accounts ?? []) {
      if (isSigner(meta.role)) expect((meta as { signer?: { address: Address } }).signer?.address).toBe(meta.address);
    }
  });

  it('remaining accounts: payouts sorted by index, each once; tranche counts checked', async () => {
    const keeper = createNoopSigner('11111111111111111111111111111112' as Address);
    const pool = 'So11111111111111111111111111111111111111112' as Address;
    const mints = await Promise.all([0, 1, 2, 3].map(async () => (await generateKeyPairSigner()).address));
    const mint = (n: number) => mints[n]!;
    const collateral = { index: 0, mint: mint(1) };
    const twice = [
      { index: 2, mint: mint(2) },
      { index: 2, mint: mint(3) },
    ];
    await expect(tx.absorb({ keeper, pool, positionOwner: keeper.address, trancheCount: 1, tips: twice })).rejects.toThrow(/twice/);
    await expect(tx.absorb({ keeper, pool, positionOwner: keeper.address, trancheCount: 0 })).rejects.toThrow(/tranches/);
    await expect(tx.checkCoverage({ pool, trancheCount: 5 })).rejects.toThrow(RangeError);
    await expect(tx.flagShortfall({ pool })).rejects.toThrow(/position or its owner/);
    await expect(
      tx.liquidate({ keeper, pool, position: pool, collateral, repayAmount: 1n, minCollateralOut: 0n, otherCollaterals: [collateral] }),
    ).rejects.toThrow(/seized one/);
    // The default destinations are created first: the seized collateral's, then the
    // others' in index order.
    const built = await tx.liquidate({
      keeper,
      pool,
      position: pool,
      collateral,
      repayAmount: 1n,
      minCollateralOut: 0n,
      otherCollaterals: [{ index: 3, mint: mint(3) }, { index: 1, mint: mint(2), destination: pool }],
    });
    expect(built.instructions.map((ix) => ix.programAddress)).toEqual([
      ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
      ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
      STRATA_PROGRAM_ADDRESS,
    ]);
    const strata = built.instructions[2]!.accounts!;
    expect(strata.slice(10).map((a) => a.address)).toEqual([
      TOKEN_PROGRAM_ADDRESS,
      mint(2),
      await vaultAddress(pool, mint(2)),
      pool,
      TOKEN_PROGRAM_ADDRESS,
      mint(3),
      await vaultAddress(pool, mint(3)),
      built.instructions[1]!.accounts![1]!.address,
    ]);
  });

  it('payoutsFor: the collaterals a plan pays', async () => {
    const pool = decodePoolData(hexBytes(str(obj(obj(vectors.accounts).pool).data)));
    expect(tx.payoutsFor(pool, [5n, 7n, 9n])).toEqual(collateralRefs(pool));
    expect(tx.payoutsFor(pool, [5n, 7n], 0).map((p) => p.index)).toEqual([1]);
    expect(tx.payoutsFor(pool, [0n, 0n, 3n])).toEqual([]);
  });

  it('mint and withdraw create the default destination first, idempotently', async () => {
    const owner = createNoopSigner('11111111111111111111111111111112' as Address);
    const pool = 'So11111111111111111111111111111111111111112' as Address;
    const minted = await tx.mint({ owner, pool, amount: 5n });
    expect(minted.instructions.map((ix) => ix.programAddress)).toEqual([ASSOCIATED_TOKEN_PROGRAM_ADDRESS, STRATA_PROGRAM_ADDRESS]);
    expect(minted.instructions[0]!.accounts?.[1]?.address).toBe(minted.destination);
    expect(Array.from(minted.instructions[0]!.data ?? [])).toEqual([1]);
    const own = await tx.mint({ owner, pool, amount: 5n, destination: pool });
    expect(own.instructions).toHaveLength(1);
  });

  it('builds a transaction @solana/kit signs with the signers the builders carry', async () => {
    const [payer, owner] = await Promise.all([generateKeyPairSigner(), generateKeyPairSigner()]);
    const pool = 'So11111111111111111111111111111111111111112' as Address;
    const opened = await tx.openPosition({ payer, owner, pool });
    const minted = await tx.mint({ owner, pool, amount: 1_000_000n });
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          { blockhash: '11111111111111111111111111111111' as Blockhash, lastValidBlockHeight: 100n },
          m,
        ),
      (m) => appendTransactionMessageInstructions([...opened.instructions, ...minted.instructions], m),
    );
    const signed = await signTransactionMessageWithSigners(message);
    expect(Object.keys(signed.signatures).sort()).toEqual([payer.address, owner.address].sort());
    expect(Object.values(signed.signatures).every((sig) => sig !== null)).toBe(true);
    expect(getBase64EncodedWireTransaction(signed).length).toBeGreaterThan(100);
  });
});
