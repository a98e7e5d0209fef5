/**
 * The keeper's address lookup tables, so that one v0 `liquidate_batch` transaction
 * carries up to the program's 48 positions instead of a legacy transaction's 23: a
 * position then costs one byte of a table index, not 32 of an address.
 *
 * Every table the keeper creates starts with the pool's fixed accounts (the pool, the
 * note mint, each collateral's mint, vault and oracle, the keeper's token accounts,
 * the tranches and their vaults, the token programs) and is then filled with
 * positions, up to the 256 addresses a table holds. A batch thus looks up
 * everything through its positions' tables (the planner draws a batch from a few,
 * see `TABLES_PER_BATCH`; a table costs a transaction 34 bytes and no lock). Tables
 * are the keeper's own (it is their authority), found again at start by that
 * authority and the pool at index 0, and reused.
 *
 * An address is used only once the extension that added it is confirmed: a table's
 * new entries are usable from the slot after it was extended, and a confirmed
 * transaction's slot is closed. A cluster without the lookup-table program leaves the
 * keeper on legacy-sized batches (every call here then fails, and the keeper logs it).
 */
import {
  getBase64Encoder,
  isSignerRole,
  type Address,
  type AddressesByLookupTableAddress,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import {
  ADDRESS_LOOKUP_TABLE_PROGRAM_ADDRESS,
  findAddressLookupTablePda,
  getAddressLookupTableDecoder,
  getCreateLookupTableInstruction,
  getExtendLookupTableInstruction,
} from '@solana-program/address-lookup-table';

import { actionInstructions } from './executor.js';
import type { Market } from './market.js';

/** Addresses one table holds. */
export const TABLE_CAPACITY = 256;
/** Addresses one extension adds: a transaction of 1,232 bytes holds about 30 after
 * its signature, keys and blockhash; two spare for margin. */
export const ADDRESSES_PER_EXTENSION = 28;
/** Byte offset of the authority's key in a table account (type u32, deactivation slot
 * u64, last extended slot u64, its start index u8, the option's tag). */
const AUTHORITY_OFFSET = 22;

/** Sends `instructions` in one transaction and resolves once it is confirmed. */
export type ConfirmedSend = (instructions: readonly Instruction[], signal?: AbortSignal) => Promise<unknown>;

type Table = {
  address: Address;
  /** Entries known to be usable (their extension confirmed), in table order. */
  addresses: Address[];
  /** Each usable entry's index (`addresses` by address). */
  indexOf: Map<Address, number>;
  /** Entries being added; they count against the capacity. */
  pending: number;
  /** One extension of a table at a time: entries keep the order they were sent in. */
  chain: Promise<void>;
};

export class LookupTables {
  private readonly tables: Table[] = [];
  private readonly tableOfPosition = new Map<Address, Table>();
  /** Positions handed to `add` whose extension is not confirmed yet. */
  private readonly adding = new Set<Address>();
  private fixed: readonly Address[] = [];
  private creating?: Promise<Table>;

  constructor(
    private readonly rpc: Rpc<SolanaRpcApi>,
    private readonly authority: TransactionSigner,
    private readonly pool: Address,
    private readonly send: ConfirmedSend,
  ) {}

  /** Finds the tables this keeper made for this pool before (a restart reuses them). */
  async load(signal?: AbortSignal): Promise<number> {
    const accounts = await this.rpc
      .getProgramAccounts(ADDRESS_LOOKUP_TABLE_PROGRAM_ADDRESS, {
        encoding: 'base64',
        filters: [{ memcmp: { offset: BigInt(AUTHORITY_OFFSET), bytes: this.authority.address as string as never, encoding: 'base58' } }],
      })
      .send({ abortSignal: signal });
    const decoder = getAddressLookupTableDecoder();
    const base64 = getBase64Encoder();
    for (const { pubkey, account } of accounts) {
      const table = decoder.decode(base64.encode(account.data[0]));
      if (table.addresses[0] !== this.pool || table.deactivationSlot !== 2n ** 64n - 1n) continue;
      if (this.tables.some((known) => known.address === pubkey)) continue;
      const known: Table = { address: pubkey, addresses: [], indexOf: new Map(), pending: 0, chain: Promise.resolve() };
      this.tables.push(known);
      this.setEntries(known, table.addresses);
    }
    return this.tables.length;
  }

  /** The pool's fixed accounts, which every new table starts with (the pool first). */
  setFixed(addresses: readonly Address[]): void {
    this.fixed = [this.pool, ...new Set(addresses.filter((address) => address !== this.pool))];
  }

  /** The table whose usable entries include `position` (batches are grouped by it). */
  tableOf(position: Address): Address | undefined {
    return this.tableOfPosition.get(position)?.address;
  }

  /** Whether every position given to `add` is usable. */
  get settled(): boolean {
    return this.adding.size === 0;
  }

  get count(): number {
    return this.tables.length;
  }

  /** Addresses usable through the tables (positions and each table's fixed accounts). */
  get size(): number {
    return this.tableOfPosition.size;
  }

  /** The tables a transaction touching `positions` looks its accounts up in: theirs,
   * or the newest table for the fixed accounts alone. */
  lookups(positions: readonly Address[]): AddressesByLookupTableAddress {
    return Object.fromEntries(this.chosen(positions).map((table) => [table.address, table.addresses]));
  }

  /** `instructions` with each account the tables of `positions` hold (see `lookups`)
   * looked up in one of them: what kit's `compressTransactionMessageUsingAddressLookupTables`
   * makes of them with `lookups(positions)`, found by index where kit scans every
   * entry of every table for each account (a 48-position batch compiled in 0.25 ms
   * through one table and 0.7 to 0.8 ms through eight that way, 0.15 ms either way
   * so). Signers and invoked programs stay in the message: a table cannot stand for
   * them. */
  compress(instructions: readonly Instruction[], positions: readonly Address[]): Instruction[] {
    const chosen = this.chosen(positions);
    if (chosen.length === 0) return [...instructions];
    const programs = new Set(instructions.map((instruction) => instruction.programAddress));
    return instructions.map((instruction) => {
      if (!instruction.accounts) return instruction;
      const accounts = instruction.accounts.map((account) => {
        if ('lookupTableAddress' in account || isSignerRole(account.role) || programs.has(account.address)) return account;
        for (const table of chosen) {
          const addressIndex = table.indexOf.get(account.address);
          if (addressIndex !== undefined) return { address: account.address, addressIndex, lookupTableAddress: table.address, role: account.role };
        }
        return account;
      });
      return { ...instruction, accounts };
    });
  }

  /** The tables of `positions`, or the newest for the fixed accounts alone. */
  private chosen(positions: readonly Address[]): Table[] {
    const chosen = new Set<Table>();
    for (const position of positions) {
      const table = this.tableOfPosition.get(position);
      if (table) chosen.add(table);
    }
    if (chosen.size === 0) {
      const newest = [...this.tables].reverse().find((table) => table.addresses.length > 0);
      if (newest) chosen.add(newest);
    }
    return [...chosen];
  }

  /** Adds the positions no table holds yet; resolves once their extensions are
   * confirmed (they are usable from then on) or one failed (it throws; those
   * positions stay on legacy-sized batches and a later `add` tries again). */
  async add(positions: readonly Address[], signal?: AbortSignal): Promise<void> {
    const missing = positions.filter((position) => !this.tableOfPosition.has(position) && !this.adding.has(position));
    if (missing.length === 0) return;
    for (const position of missing) this.adding.add(position);
    const work: Promise<void>[] = [];
    try {
      let rest = missing;
      while (rest.length > 0) {
        const table = await this.tableWithRoom(signal);
        const room = TABLE_CAPACITY - table.addresses.length - table.pending;
        const taken = rest.slice(0, room);
        rest = rest.slice(room);
        table.pending += taken.length;
        work.push(this.extend(table, taken, signal));
      }
    } finally {
      const results = await Promise.allSettled(work);
      for (const position of missing) this.adding.delete(position);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
    }
  }

  /** The newest table with room, or a new one (one creation at a time). */
  private async tableWithRoom(signal?: AbortSignal): Promise<Table> {
    const newest = this.tables.at(-1);
    if (newest && newest.addresses.length + newest.pending < TABLE_CAPACITY && newest.addresses[0] === this.pool) return newest;
    this.creating ??= this.create(signal).finally(() => (this.creating = undefined));
    return this.creating;
  }

  /** Creates a table holding the fixed accounts. */
  private async create(signal?: AbortSignal): Promise<Table> {
    if (this.fixed.length === 0) throw new Error('the pool fixed accounts are not known yet (setFixed)');
    // A recent slot the cluster still has in SlotHashes derives the table's address.
    const recentSlot = await this.rpc.getSlot({ commitment: 'finalized' }).send({ abortSignal: signal });
    const [address, bump] = await findAddressLookupTablePda({ authority: this.authority.address, recentSlot });
    const create = getCreateLookupTableInstruction({ address: [address, bump], authority: this.authority.address, payer: this.authority, recentSlot, bump });
    const fixed = this.fixed.slice(0, ADDRESSES_PER_EXTENSION - 4);
    await this.send([create, this.extension(address, fixed)], signal);
    const table: Table = { address, addresses: [], indexOf: new Map(), pending: 0, chain: Promise.resolve() };
    await this.reread(table, signal);
    const rest = this.fixed.slice(fixed.length);
    if (rest.length > 0) {
      table.pending = rest.length;
      table.chain = this.extendNow(table, rest, signal);
      await table.chain;
    }
    this.tables.push(table);
    return table;
  }

  private extension(table: Address, addresses: readonly Address[]): Instruction {
    return getExtendLookupTableInstruction({ address: table, authority: this.authority, payer: this.authority, addresses: [...addresses] });
  }

  /** Queues an extension of `table` with `addresses` behind the ones before it. */
  private extend(table: Table, addresses: readonly Address[], signal?: AbortSignal): Promise<void> {
    const run = table.chain.catch(() => {}).then(() => this.extendNow(table, addresses, signal));
    table.chain = run;
    return run;
  }

  private async extendNow(table: Table, addresses: readonly Address[], signal?: AbortSignal): Promise<void> {
    let left = addresses.length;
    try {
      for (let start = 0; start < addresses.length; start += ADDRESSES_PER_EXTENSION) {
        const chunk = addresses.slice(start, start + ADDRESSES_PER_EXTENSION);
        await this.send([this.extension(table.address, chunk)], signal);
        // Confirmed: its slot is closed, so the entries are usable from the next one.
        await this.reread(table, signal);
        table.pending -= chunk.length;
        left -= chunk.length;
      }
    } finally {
      table.pending -= left;
    }
  }

  /** Takes a table's entries from the chain. Tables only ever grow, so entries known
   * keep their indexes; reading them (rather than assuming where a confirmed
   * extension put its addresses) also counts one that was given up on and landed. */
  private async reread(table: Table, signal?: AbortSignal): Promise<void> {
    const { value } = await this.rpc.getAccountInfo(table.address, { encoding: 'base64', commitment: 'confirmed' }).send({ abortSignal: signal });
    if (!value) throw new Error(`lookup table ${table.address} is missing`);
    this.setEntries(table, getAddressLookupTableDecoder().decode(getBase64Encoder().encode(value.data[0])).addresses);
  }

  /** Makes `addresses` a table's usable entries. */
  private setEntries(table: Table, addresses: readonly Address[]): void {
    table.addresses = [...addresses];
    // Kept at its first index, as kit's scan would find an address there twice.
    table.indexOf = new Map();
    addresses.forEach((address, index) => {
      if (!table.indexOf.has(address)) table.indexOf.set(address, index);
    });
    for (const address of addresses) this.tableOfPosition.set(address, table);
  }
}

/** The accounts every batch of the pool touches whatever its positions: those of a
 * batch without positions on each collateral, with every collateral refreshed (the
 * keeper's token accounts included), less signers and invoked programs, which a
 * lookup table cannot hold. */
export async function poolFixedAccounts(
  market: Pick<Market, 'views' | 'state'> & { pool: Address },
  keeper: TransactionSigner,
  options: Parameters<typeof actionInstructions>[4],
): Promise<Address[]> {
  const refresh = market.views.map((_, index) => index);
  const accounts = new Set<Address>();
  for (let collateralIndex = 0; collateralIndex < market.views.length; collateralIndex++) {
    const sample = { kind: 'batch' as const, collateralIndex, positions: [], parts: [], repay: 0n, seize: 0n, profit: 0n, refresh };
    const instructions = await actionInstructions(sample, keeper, market.pool, market.state, options);
    const programs = new Set(instructions.map((instruction) => instruction.programAddress));
    for (const instruction of instructions) {
      for (const account of instruction.accounts ?? []) {
        if (!isSignerRole(account.role) && !programs.has(account.address)) accounts.add(account.address);
      }
    }
  }
  return [...accounts];
}
