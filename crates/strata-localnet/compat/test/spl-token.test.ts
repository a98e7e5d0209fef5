/**
 * @solana/spl-token 0.4, unchanged, against the real local cluster: the SPL Token and
 * Token-2022 flows a wallet or a dApp runs (mints, associated accounts, transfers,
 * delegation, burns, closing), read back with the library's own readers.
 */
import { Keypair, type Connection } from '@solana/web3.js';
import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  approve,
  burn,
  closeAccount,
  createMint,
  getAccount,
  getAssociatedTokenAddressSync,
  getMint,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  revoke,
  transfer,
  transferChecked,
} from '@solana/spl-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCluster, type Cluster } from './cluster.js';

describe('@solana/spl-token 0.4', () => {
  let cluster: Cluster;
  let connection: Connection;
  let payer: Keypair;

  beforeAll(async () => {
    cluster = await startCluster();
    connection = cluster.connection('confirmed');
    payer = await cluster.wallet(100);
  });
  afterAll(async () => cluster?.stop());

  for (const [name, programId] of [
    ['SPL Token', TOKEN_PROGRAM_ID],
    ['Token-2022', TOKEN_2022_PROGRAM_ID],
  ] as const) {
    it(`${name}: mint, associated accounts, transfer, delegate, burn, close`, async () => {
      const mint = await createMint(connection, payer, payer.publicKey, payer.publicKey, 9, Keypair.generate(), undefined, programId);
      const alice = Keypair.generate();
      const bob = Keypair.generate();
      const aliceAta = await getOrCreateAssociatedTokenAccount(connection, payer, mint, alice.publicKey, false, 'confirmed', undefined, programId);
      expect(aliceAta.address.equals(getAssociatedTokenAddressSync(mint, alice.publicKey, false, programId))).toBe(true);
      // Asked again, the existing account is found, not created.
      const again = await getOrCreateAssociatedTokenAccount(connection, payer, mint, alice.publicKey, false, 'confirmed', undefined, programId);
      expect(again.address.equals(aliceAta.address)).toBe(true);
      const bobAta = await getOrCreateAssociatedTokenAccount(connection, payer, mint, bob.publicKey, false, 'confirmed', undefined, programId);

      await mintTo(connection, payer, mint, aliceAta.address, payer, 10_000_000_000n, [], undefined, programId);
      await transfer(connection, payer, aliceAta.address, bobAta.address, alice, 3_000_000_000n, [], undefined, programId);
      await transferChecked(connection, payer, aliceAta.address, mint, bobAta.address, alice, 1_000_000_000n, 9, [], undefined, programId);
      await approve(connection, payer, aliceAta.address, bob.publicKey, alice, 500n, [], undefined, programId);
      expect((await getAccount(connection, aliceAta.address, 'confirmed', programId)).delegatedAmount).toBe(500n);
      await revoke(connection, payer, aliceAta.address, alice, [], undefined, programId);
      await burn(connection, payer, bobAta.address, mint, bob, 4_000_000_000n, [], undefined, programId);

      const alices = await getAccount(connection, aliceAta.address, 'confirmed', programId);
      expect(alices).toMatchObject({ amount: 6_000_000_000n, delegate: null, isInitialized: true, isFrozen: false });
      expect(alices.owner.equals(alice.publicKey)).toBe(true);
      const mintState = await getMint(connection, mint, 'confirmed', programId);
      expect(mintState).toMatchObject({ supply: 6_000_000_000n, decimals: 9, isInitialized: true });
      expect((await connection.getTokenAccountBalance(aliceAta.address)).value.uiAmountString).toBe('6');
      const owned = await connection.getParsedTokenAccountsByOwner(alice.publicKey, { programId });
      expect(owned.value.map((a) => a.pubkey.toBase58())).toEqual([aliceAta.address.toBase58()]);

      // An empty account closes and returns its rent.
      await closeAccount(connection, payer, bobAta.address, bob.publicKey, bob, [], undefined, programId);
      expect(await connection.getAccountInfo(bobAta.address)).toBeNull();
      expect(await connection.getBalance(bob.publicKey)).toBeGreaterThan(0);
    });
  }
});
