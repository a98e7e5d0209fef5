import { compressTransactionMessageUsingAddressLookupTables, generateKeyPairSigner, getTransactionMessageSize, type Address, type Blockhash } from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { describe, expect, it } from 'vitest';

import { fitsInTransaction, transactionSize } from '../../keeper/executor.js';
import { transactionMessage } from '../../src/message.js';

const BLOCKHASH = { blockhash: '11111111111111111111111111111111' as Blockhash, lastValidBlockHeight: 0n };

describe('transactionSize', () => {
  it("gives kit's serialized size, legacy and through a lookup table, and refuses what does not fit", async () => {
    const payer = await generateKeyPairSigner();
    const destinations = await Promise.all(Array.from({ length: 70 }, async () => (await generateKeyPairSigner()).address));
    const transfers = (n: number) => destinations.slice(0, n).map((destination, i) => getTransferSolInstruction({ source: payer, destination, amount: BigInt(i + 1) }));
    const table = { ['AddressLookupTab1e1111111111111111111111111' as Address]: destinations };
    for (const n of [1, 5, 20]) {
      const legacy = transactionSize(transfers(n), payer);
      expect(legacy?.bytes).toBe(getTransactionMessageSize(transactionMessage(payer, BLOCKHASH, transfers(n))));
      expect(legacy?.accounts).toBe(n + 2);
      const v0 = transactionSize(transfers(n), payer, table);
      expect(v0?.bytes).toBe(getTransactionMessageSize(compressTransactionMessageUsingAddressLookupTables(transactionMessage(payer, BLOCKHASH, transfers(n)), table)));
      expect(v0?.accounts).toBe(n + 2);
    }
    // Looked up, each destination costs an index byte instead of its 32-byte address.
    expect(transactionSize(transfers(20), payer, table)!.bytes).toBeLessThan(transactionSize(transfers(20), payer)!.bytes - 20 * 29);
    // 20 transfers fit; 70 lock too many accounts even through a table.
    expect(fitsInTransaction(transfers(20), payer)).toBe(true);
    expect(fitsInTransaction(transfers(70), payer, table)).toBe(false);
    // 40 fit the accounts but not 1,232 bytes without a table.
    expect(transactionSize(transfers(40), payer)!.bytes).toBeGreaterThan(1_232);
    expect(fitsInTransaction(transfers(40), payer)).toBe(false);
  });
});
