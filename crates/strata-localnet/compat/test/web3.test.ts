/**
 * @solana/web3.js 1.x, unchanged, against the real local cluster: the confirmation
 * loop that used to kill Node (an error inside a signatureNotification), token
 * queries, subscriptions on account, program and log changes, the lookup-table
 * recipe of Solana's docs, parsed transactions, signatures by address and blocks.
 */
import {
  AddressLookupTableProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
  type Connection,
} from '@solana/web3.js';
import { TOKEN_PROGRAM_ID, approve, createAccount, createMint, mintTo } from '@solana/spl-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, startCluster, type Cluster } from './cluster.js';

const transfer = (from: Keypair, to: PublicKey, lamports: number) =>
  new Transaction().add(SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to, lamports }));

describe('@solana/web3.js 1.x', () => {
  let cluster: Cluster;
  let connection: Connection;
  let payer: Keypair;

  beforeAll(async () => {
    cluster = await startCluster();
    connection = cluster.connection('confirmed');
    payer = await cluster.wallet(1_000);
  });
  afterAll(async () => cluster?.stop());

  it('confirms 300 transactions with sendAndConfirmTransaction, ten chains at once, without a crash', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const recipient = (await cluster.wallet(1)).publicKey;
      // Ten chains of 30: many signature subscriptions open and closing at once, the
      // race that used to put an error in a notification.
      const chains = await Promise.all(Array.from({ length: 10 }, () => cluster.wallet(10)));
      let confirmed = 0;
      await Promise.all(
        chains.map(async (wallet, chain) => {
          for (let i = 0; i < 30; i++) {
            // A distinct amount each time: every transaction is a new one.
            const signature = await sendAndConfirmTransaction(connection, transfer(wallet, recipient, 1 + chain * 1_000 + i), [wallet]);
            expect(typeof signature).toBe('string');
            confirmed++;
          }
        }),
      );
      // Notifications still on their way have landed by now.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(confirmed).toBe(300);
      expect(uncaught).toEqual([]);
      console.log(`web3.js: ${confirmed} sendAndConfirmTransaction, ${uncaught.length} uncaught errors`);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('answers token queries as wallets make them', async () => {
    const mint = await createMint(connection, payer, payer.publicKey, null, 6);
    const owner = Keypair.generate();
    const delegate = Keypair.generate().publicKey;
    const account = await createAccount(connection, payer, mint, owner.publicKey, Keypair.generate());
    const spare = await createAccount(connection, payer, mint, owner.publicKey, Keypair.generate());
    await mintTo(connection, payer, mint, account, payer, 2_500_000n);
    await mintTo(connection, payer, mint, spare, payer, 1_000_000n);
    await approve(connection, payer, account, delegate, owner, 100n);

    const byMint = await connection.getTokenAccountsByOwner(owner.publicKey, { mint });
    expect(byMint.value.map((a) => a.pubkey.toBase58()).sort()).toEqual([account.toBase58(), spare.toBase58()].sort());
    expect(byMint.value[0]!.account.data.length).toBe(165);
    const parsed = await connection.getParsedTokenAccountsByOwner(owner.publicKey, { programId: TOKEN_PROGRAM_ID });
    const main = parsed.value.find((a) => a.pubkey.equals(account))!;
    expect(main.account.data.parsed.info.tokenAmount).toMatchObject({ amount: '2500000', decimals: 6, uiAmountString: '2.5' });
    expect(main.account.data.parsed.info.delegate).toBe(delegate.toBase58());
    expect((await connection.getTokenAccountBalance(account)).value.uiAmount).toBe(2.5);
    expect((await connection.getTokenSupply(mint)).value.amount).toBe('3500000');
    const largest = await connection.getTokenLargestAccounts(mint);
    expect(largest.value.map((a) => a.address.toBase58())).toEqual([account.toBase58(), spare.toBase58()]);
    const delegated = await cluster.call('getTokenAccountsByDelegate', [delegate.toBase58(), { mint: mint.toBase58() }, { encoding: 'jsonParsed' }]);
    expect(delegated.result.value.map((a: { pubkey: string }) => a.pubkey)).toEqual([account.toBase58()]);
    const mintInfo = await connection.getParsedAccountInfo(mint);
    expect((mintInfo.value!.data as { parsed: { type: string } }).parsed.type).toBe('mint');
  });

  it('fires subscriptions on account, program and log changes, slots and roots', async () => {
    const recipient = Keypair.generate().publicKey;
    const accountChanges: number[] = [];
    const account = connection.onAccountChange(recipient, (info) => accountChanges.push(info.lamports), 'confirmed');
    const logs: string[] = [];
    const mentions = connection.onLogs(recipient, (entry) => logs.push(entry.signature), 'confirmed');
    const everything: string[] = [];
    const all = connection.onLogs('all', (entry) => everything.push(entry.signature), 'processed');
    const slots: number[] = [];
    const slot = connection.onSlotChange((info) => slots.push(info.slot));
    const roots: number[] = [];
    const root = connection.onRootChange((r) => roots.push(r));
    // Let the subscriptions reach the cluster before anything changes.
    await eventually('a slot notification', () => (slots.length > 0 ? true : undefined));

    const signature = await sendAndConfirmTransaction(connection, transfer(payer, recipient, LAMPORTS_PER_SOL), [payer]);
    await eventually('the account notification', () => (accountChanges.includes(LAMPORTS_PER_SOL) ? true : undefined));
    await eventually('the logs notification (mentions)', () => (logs.includes(signature) ? true : undefined));
    await eventually('the logs notification (all)', () => (everything.includes(signature) ? true : undefined));
    await eventually('roots', () => (roots.length >= 2 ? true : undefined));
    expect(roots[1]).toBeGreaterThan(roots[0]!);

    // A program subscription with filters: the token accounts of one mint.
    const mint = await createMint(connection, payer, payer.publicKey, null, 0);
    const changed: string[] = [];
    const program = connection.onProgramAccountChange(
      TOKEN_PROGRAM_ID,
      (keyed) => changed.push(keyed.accountId.toBase58()),
      { commitment: 'confirmed', filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: mint.toBase58() } }] },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const holder = await createAccount(connection, payer, mint, Keypair.generate().publicKey, Keypair.generate());
    await mintTo(connection, payer, mint, holder, payer, 7);
    await eventually('the program notification', () => (changed.filter((key) => key === holder.toBase58()).length >= 2 ? true : undefined));
    const otherMint = await createMint(connection, payer, payer.publicKey, null, 0);
    await createAccount(connection, payer, otherMint, Keypair.generate().publicKey, Keypair.generate());
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(changed.every((key) => key === holder.toBase58()), 'the filters hold').toBe(true);

    for (const id of [account, mentions, all, slot, program]) {
      if (id === account) await connection.removeAccountChangeListener(id);
      else if (id === slot) await connection.removeSlotChangeListener(id);
      else if (id === program) await connection.removeProgramAccountChangeListener(id);
      else await connection.removeOnLogsListener(id);
    }
    await connection.removeRootChangeListener(root);
  });

  it('runs the lookup-table recipe of the docs 20 times out of 20', async () => {
    let landed = 0;
    // Four users at once, five rounds each (one payer per user: a table's address
    // derives from its authority and recent slot).
    const users = await Promise.all([0, 1, 2, 3].map(() => cluster.wallet(50)));
    await Promise.all(
      users.map(async (user) => {
        for (let round = 0; round < 5; round++) {
          const recentSlot = await connection.getSlot();
          const [create, table] = AddressLookupTableProgram.createLookupTable({ authority: user.publicKey, payer: user.publicKey, recentSlot });
          const addresses = [Keypair.generate().publicKey, Keypair.generate().publicKey];
          const extend = AddressLookupTableProgram.extendLookupTable({ payer: user.publicKey, authority: user.publicKey, lookupTable: table, addresses });
          await sendAndConfirmTransaction(connection, new Transaction().add(create, extend), [user]);

          const lookup = (await connection.getAddressLookupTable(table)).value!;
          expect(lookup.state.addresses.map((a) => a.toBase58())).toEqual(addresses.map((a) => a.toBase58()));
          const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
          const message = new TransactionMessage({
            payerKey: user.publicKey,
            recentBlockhash: blockhash,
            instructions: [SystemProgram.transfer({ fromPubkey: user.publicKey, toPubkey: addresses[1]!, lamports: LAMPORTS_PER_SOL })],
          }).compileToV0Message([lookup]);
          expect(message.addressTableLookups.length).toBe(1);
          const tx = new VersionedTransaction(message);
          tx.sign([user]);
          const signature = await connection.sendTransaction(tx);
          const { value } = await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight });
          expect(value.err).toBeNull();
          expect(await connection.getBalance(addresses[1]!)).toBe(LAMPORTS_PER_SOL);
          landed++;
        }
      }),
    );
    console.log(`web3.js: lookup-table recipe ${landed}/20`);
    expect(landed).toBe(20);
  });

  it('serves parsed transactions, signatures by address and blocks', async () => {
    const recipient = Keypair.generate().publicKey;
    const signatures: string[] = [];
    for (let i = 1; i <= 3; i++) signatures.push(await sendAndConfirmTransaction(connection, transfer(payer, recipient, i * LAMPORTS_PER_SOL), [payer]));

    const parsed = (await connection.getParsedTransaction(signatures[0]!, { maxSupportedTransactionVersion: 0 }))!;
    expect(parsed.transaction.message.accountKeys[0]!.pubkey.equals(payer.publicKey)).toBe(true);
    expect(parsed.transaction.message.accountKeys[0]).toMatchObject({ signer: true, writable: true });
    const instruction = parsed.transaction.message.instructions[0] as { program: string; parsed: { type: string; info: { lamports: number } } };
    expect(instruction.program).toBe('system');
    expect(instruction.parsed).toMatchObject({ type: 'transfer', info: { lamports: LAMPORTS_PER_SOL } });
    expect(parsed.meta!.err).toBeNull();
    expect(parsed.blockTime).toBeGreaterThan(0);
    const parsedMany = await connection.getParsedTransactions(signatures, { maxSupportedTransactionVersion: 0 });
    expect(parsedMany.every((tx) => tx !== null)).toBe(true);

    const history = await connection.getSignaturesForAddress(recipient);
    expect(history.map((s) => s.signature)).toEqual([...signatures].reverse());
    expect(history.every((s) => s.confirmationStatus === 'finalized' && s.err === null)).toBe(true);
    const older = await connection.getSignaturesForAddress(recipient, { before: signatures[2], limit: 1 });
    expect(older.map((s) => s.signature)).toEqual([signatures[1]]);

    const block = (await connection.getBlock(parsed.slot, { maxSupportedTransactionVersion: 0 }))!;
    expect(block.transactions.some((tx) => tx.transaction.signatures[0] === signatures[0])).toBe(true);
    const parsedBlock = await connection.getParsedBlock(parsed.slot, { maxSupportedTransactionVersion: 0 });
    expect(parsedBlock.blockhash).toBe(block.blockhash);
    expect(await connection.getBlockTime(parsed.slot)).toBe(block.blockTime);
    const blocks = await connection.getBlocks(parsed.slot - 1, parsed.slot + 1);
    expect(blocks).toEqual([parsed.slot - 1, parsed.slot, parsed.slot + 1]);
    expect(await connection.getFirstAvailableBlock()).toBe(1);
  });
});
