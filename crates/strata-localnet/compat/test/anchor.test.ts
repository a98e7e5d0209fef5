/**
 * Anchor's TypeScript clients, unchanged, on Strata's committed IDL against the real
 * local cluster: @anchor-lang/core 1.2 and @coral-xyz/anchor 0.32 each create a pool
 * (accounts resolved from the IDL's seeds), hear its event (`addEventListener`), fetch
 * it, find it with `all` and a filter, follow it with `subscribe`, and catch a refusal
 * as an `AnchorError` named as in the IDL.
 */
import { readFileSync } from 'node:fs';

import * as anchorLang from '@anchor-lang/core';
import * as coral from '@coral-xyz/anchor';
import { getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Keypair, PublicKey, type Connection } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ROOT, eventually, startCluster, type Cluster } from './cluster.js';

const IDL = JSON.parse(readFileSync(`${ROOT}/app/idl/strata.json`, 'utf8'));
const STRATA = new PublicKey(IDL.address);
const TOKEN_PROGRAM = new PublicKey('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');

/** What both packages export alike. */
type Anchor = typeof anchorLang | typeof coral;

const clients: [string, Anchor][] = [
  ['@anchor-lang/core 1.2', anchorLang],
  ['@coral-xyz/anchor 0.32', coral],
];

describe.each(clients)('%s on Strata', (_name, anchor) => {
  let cluster: Cluster;
  let connection: Connection;
  let authority: Keypair;
  // Untyped IDL: the program's namespaces are indexed by name.
  let program: any;

  beforeAll(async () => {
    cluster = await startCluster();
    connection = cluster.connection('confirmed');
    authority = await cluster.wallet(100);
    const provider = new anchor.AnchorProvider(connection, new anchor.Wallet(authority), { commitment: 'confirmed' });
    program = new anchor.Program(IDL, provider as any);
  });
  afterAll(async () => cluster?.stop());

  const params = (stabilityFeeBps: number) => ({
    stabilityFeeBps,
    debtCeiling: new anchor.BN('1000000000000000'),
    minDebt: new anchor.BN(10_000_000),
    closeFactorBps: 5_000,
    keeperTipBps: 50,
    protocolFeeBps: 1_000,
    coverageFloorBps: 1_000,
    redemptionDelaySecs: 600,
  });
  const poolAddress = (poolId: number) =>
    PublicKey.findProgramAddressSync([Buffer.from('pool'), authority.publicKey.toBuffer(), new anchor.BN(poolId).toArrayLike(Buffer, 'le', 8)], STRATA)[0];
  const initPool = (poolId: number, stabilityFeeBps: number) => {
    const pool = poolAddress(poolId);
    const [noteMint] = PublicKey.findProgramAddressSync([Buffer.from('notes'), pool.toBuffer()], STRATA);
    const treasuryOwner = Keypair.generate().publicKey;
    const treasury = getAssociatedTokenAddressSync(noteMint, treasuryOwner, true, TOKEN_PROGRAM);
    return program.methods
      .initPool({ poolId: new anchor.BN(poolId), params: params(stabilityFeeBps), permissioned: false })
      .accounts({ payer: authority.publicKey, authority: authority.publicKey, treasuryOwner, treasury })
      .rpc();
  };

  it('creates a pool, hears its event, fetches it, finds it with a filter and follows it', async () => {
    const heard: { pool: string; signature: string }[] = [];
    const listener = program.addEventListener('poolInitialized', (event: any, _slot: number, signature: string) => {
      heard.push({ pool: event.pool.toBase58(), signature });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signature: string = await initPool(1, 500);
    const pool = poolAddress(1);
    await eventually('the PoolInitialized event', () => (heard.some((e) => e.signature === signature) ? true : undefined));
    expect(heard.find((e) => e.signature === signature)!.pool).toBe(pool.toBase58());
    await program.removeEventListener(listener);

    const fetched = await program.account.pool.fetch(pool);
    expect(fetched.authority.equals(authority.publicKey)).toBe(true);
    expect(fetched.stabilityFeeBps).toBe(500);
    expect(fetched.poolId.toNumber()).toBe(1);

    // `all` with a filter on the authority (its offset read from the account itself).
    const raw = (await connection.getAccountInfo(pool))!.data;
    const offset = raw.indexOf(authority.publicKey.toBuffer());
    expect(offset).toBeGreaterThan(8);
    await initPool(2, 600);
    const mine = await program.account.pool.all([{ memcmp: { offset, bytes: authority.publicKey.toBase58() } }]);
    expect(mine.map((p: any) => p.publicKey.toBase58()).sort()).toEqual([pool.toBase58(), poolAddress(2).toBase58()].sort());
    const nobody = await program.account.pool.all([{ memcmp: { offset, bytes: Keypair.generate().publicKey.toBase58() } }]);
    expect(nobody).toEqual([]);

    // `subscribe`: the pause flags change, the subscription hears it.
    const changes: number[] = [];
    const emitter = program.account.pool.subscribe(pool, 'confirmed');
    emitter.on('change', (account: any) => changes.push(account.pauseFlags));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await program.methods.setPauseFlags(1).accounts({ authority: authority.publicKey, pool }).rpc();
    await eventually('the account subscription', () => (changes.includes(1) ? true : undefined));
    await program.account.pool.unsubscribe(pool);
  });

  it('catches a refusal as an AnchorError named as in the IDL', async () => {
    const error = await initPool(3, 65_535).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(anchor.AnchorError);
    const anchorError = error as InstanceType<typeof anchor.AnchorError>;
    const expected = IDL.errors.find((e: { name: string }) => e.name === 'InvalidPoolParams');
    expect(anchorError.error.errorCode).toEqual({ code: 'InvalidPoolParams', number: expected.code });
    expect(anchorError.error.errorMessage).toBe(expected.msg);
    expect(anchorError.program.equals(STRATA)).toBe(true);
    expect(anchorError.logs.some((line: string) => line === 'Program log: Instruction: InitPool')).toBe(true);
  });
});
