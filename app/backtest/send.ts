/**
 * Sending the replay's own transactions (refreshes, distributions, coverage tests,
 * holders' requests and claims). The same instructions from the same payer under one
 * blockhash are one transaction: the second would be "already processed". A replay
 * repeats refreshes step after step, so a transaction identical to one sent in the
 * current slot waits for the next slot first.
 */
import type { Instruction, Signature, TransactionSigner } from '@solana/kit';

import { sendInstructions } from '../admin/send.js';
import type { Cluster } from '../sim/cluster.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ReplaySender {
  private readonly sentAt = new Map<string, bigint>();

  constructor(private readonly cluster: Cluster) {}

  private slot(): Promise<bigint> {
    return this.cluster.rpc.getSlot({ commitment: 'processed' }).send();
  }

  /** Resolves once the cluster is past `slot`. */
  async after(slot: bigint): Promise<void> {
    while ((await this.slot()) <= slot) await sleep(40);
  }

  /** Resolves once the slot being worked on now has closed: what landed in it is what
   * a `confirmed` read (the keeper's scan) sees, and the next transaction goes into a
   * later slot. */
  async settled(): Promise<void> {
    const working = await this.slot();
    while ((await this.cluster.rpc.getSlot({ commitment: 'confirmed' }).send()) < working) await sleep(20);
  }

  async send(payer: TransactionSigner, instructions: readonly Instruction[]): Promise<Signature> {
    const key = JSON.stringify([
      payer.address,
      instructions.map((ix) => [ix.programAddress, Buffer.from(ix.data ?? []).toString('hex'), (ix.accounts ?? []).map((a) => a.address)]),
    ]);
    const last = this.sentAt.get(key);
    if (last !== undefined) await this.after(last);
    const signature = await sendInstructions(this.cluster, payer, instructions);
    // Confirmed by now: its blockhash is at most this slot's.
    this.sentAt.set(key, await this.slot());
    return signature;
  }
}
