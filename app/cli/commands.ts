/**
 * The admin commands: each validates its input, reads what it needs from the chain
 * (an unknown pool is a clear error), builds the instruction with the client's
 * builders and hands it to `Context.execute` (dry run, confirmation, send).
 */
import { type Address } from '@solana/kit';
import { Command, Option } from 'commander';
import { z } from 'zod';

import { fetchAccount, fetchPool, fetchTranche, InputError, parseAddress } from '../admin/chain.js';
import { OracleKind } from '../src/generated/index.js';
import { listedCollaterals, poolAddress, tx, type Pool } from '../src/index.js';
import { SYSTEM_PROGRAM_ADDRESS, trancheAddress, TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from '../src/pda.js';
import { pauseBits } from './pause.js';
import { changes, fieldOptions, integer, mergeParams, pick, readJsonFile, splitFile, type ParamSet } from './params.js';
import { Context } from './run.js';
import { pauseNames, render, snapshot, toJson } from './show.js';

type Options = Record<string, unknown>;
type Make = (command: Command) => Context;

function withFields(command: Command, set: ParamSet): Command {
  for (const [flags, help] of fieldOptions(set)) command.option(flags, help);
  return command.option('--file <json>', `${set} parameters from a JSON file (flags override it)`);
}

async function loadPool(context: Context, value: unknown): Promise<{ address: Address; pool: Pool }> {
  if (typeof value !== 'string') throw new InputError('--pool: required');
  const address = parseAddress(value, '--pool');
  return { address, pool: await fetchPool(context.rpc, address) };
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError(`${what}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

const oracleKind = z.enum(['legacy', 'pull'], { message: "expected 'legacy' or 'pull'" });
const feedId = z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, { message: 'expected 32 bytes of hex' });

/** An oracle source from `--oracle-kind` / `--feed-id`, checked against each other. */
function oracleSource(kind: 'legacy' | 'pull', feed: string | undefined): tx.OracleSourceInput {
  if (kind === 'pull' && !feed) throw new InputError('--feed-id: required for a pull oracle');
  if (kind === 'legacy' && feed) throw new InputError('--feed-id: a legacy oracle has no feed id');
  return {
    kind: kind === 'legacy' ? OracleKind.PythLegacy : OracleKind.PythPull,
    feedId: feed ? Buffer.from(feed.replace(/^0x/, ''), 'hex') : undefined,
  };
}

const fileOf = (options: Options, set: ParamSet, extras: readonly string[] = []) =>
  typeof options.file === 'string' ? splitFile(readJsonFile(options.file), set, extras) : { params: undefined, extras: {} as Record<string, unknown> };

export function registerCommands(program: Command, make: Make): void {
  // --- pools ------------------------------------------------------------------------
  const pool = program.command('pool').description('create and update pools');

  withFields(
    pool
      .command('create')
      .description('init_pool: a pool ["pool", signer, id] with its note mint and treasury (the signer is its authority)')
      .option('--id <n>', 'pool id (u64); one signer may create many pools')
      .option('--permissioned', 'positions and tranche shares need an allowlist entry')
      .option('--treasury-owner <address>', 'owner of the treasury note account (default: the signer)'),
    'pool',
  ).action(async (options: Options, command: Command) => {
    const context = make(command);
    const file = fileOf(options, 'pool', ['id', 'permissioned', 'treasuryOwner']);
    const id = parseWith(integer('u64'), options.id ?? file.extras.id, '--id');
    const permissioned = parseWith(z.boolean(), options.permissioned ?? file.extras.permissioned ?? false, 'permissioned');
    const treasuryOwnerValue = options.treasuryOwner ?? file.extras.treasuryOwner;
    const treasuryOwner = treasuryOwnerValue === undefined ? undefined : parseAddress(String(treasuryOwnerValue), '--treasury-owner');
    const params = mergeParams('pool', { file: file.params, flags: options });
    const authority = await context.signer();
    const address = await poolAddress(authority.address, id);
    if (await fetchAccount(context.rpc, address)) throw new InputError(`pool ${address} (id ${id} of ${authority.address}) already exists`);
    const built = await tx.initPool({ payer: authority, authority, poolId: id, params, treasuryOwner, permissioned });
    await context.execute({
      title: `create pool ${built.pool}`,
      details: [`id ${id}${permissioned ? ', permissioned' : ''}`, `note mint ${built.noteMint}`, `treasury ${built.treasury}`, ...Object.entries(params).map(([k, v]) => `${k}: ${v}`)],
      instructions: built.instructions,
    });
  });

  withFields(
    pool
      .command('update')
      .description('update_pool: new parameters (unset ones keep their value) and treasury')
      .option('--pool <address>', 'the pool')
      .option('--treasury <address>', 'new treasury note account'),
    'pool',
  ).action(async (options: Options, command: Command) => {
    const context = make(command);
    const { address, pool: current } = await loadPool(context, options.pool);
    const file = fileOf(options, 'pool');
    const before = pick('pool', current as unknown as Record<string, unknown>);
    const params = mergeParams('pool', { base: before, file: file.params, flags: options });
    const treasury = options.treasury === undefined ? current.treasury : parseAddress(String(options.treasury), '--treasury');
    const diff = changes(before, params);
    if (treasury !== current.treasury) diff.push(`treasury: ${current.treasury} → ${treasury}`);
    if (!diff.length) {
      context.io.out(`pool ${address}: nothing to change`);
      return;
    }
    const built = await tx.updatePool({ authority: await context.signer(), pool: address, params, treasury });
    await context.execute({ title: `update pool ${address}`, details: diff, instructions: built.instructions });
  });

  // --- collaterals ------------------------------------------------------------------
  const collateral = program.command('collateral').description('list and update collateral assets');

  withFields(
    collateral
      .command('add')
      .description("add_collateral: lists a mint (SPL Token or Token-2022) with its Pyth oracle and risk parameters")
      .option('--pool <address>', 'the pool')
      .option('--mint <address>', 'the collateral mint')
      .option('--oracle <address>', 'the Pyth price account (legacy) or PriceUpdateV2 account (pull)')
      .addOption(new Option('--oracle-kind <kind>', 'Pyth product').choices(['legacy', 'pull']))
      .option('--feed-id <hex>', 'pull oracles: the 32-byte feed id'),
    'collateral',
  ).action(async (options: Options, command: Command) => {
    const context = make(command);
    const { address } = await loadPool(context, options.pool);
    const file = fileOf(options, 'collateral', ['name', 'mint', 'oracle']);
    const fileOracle = parseWith(
      z.object({ kind: oracleKind.optional(), address: z.string().optional(), feedId: feedId.optional() }).passthrough().optional(),
      file.extras.oracle,
      'oracle (in --file)',
    );
    const mintValue = options.mint ?? file.extras.mint;
    if (typeof mintValue !== 'string') throw new InputError('--mint: required (an existing mint address)');
    const mint = parseAddress(mintValue, '--mint');
    const oracleValue = options.oracle ?? fileOracle?.address;
    if (typeof oracleValue !== 'string') throw new InputError('--oracle: required');
    const oracle = parseAddress(oracleValue, '--oracle');
    const kind = parseWith(oracleKind, options.oracleKind ?? fileOracle?.kind, '--oracle-kind');
    const feed = options.feedId === undefined ? fileOracle?.feedId : parseWith(feedId, options.feedId, '--feed-id');
    const source = oracleSource(kind, feed);
    const params = mergeParams('collateral', { file: file.params, flags: options });
    const mintAccount = await fetchAccount(context.rpc, mint);
    if (!mintAccount) throw new InputError(`--mint: no account ${mint} on this cluster`);
    if (mintAccount.owner !== TOKEN_PROGRAM_ADDRESS && mintAccount.owner !== TOKEN_2022_PROGRAM_ADDRESS) {
      throw new InputError(`--mint: ${mint} is not a token mint (owned by ${mintAccount.owner})`);
    }
    const authority = await context.signer();
    const built = await tx.addCollateral({ payer: authority, authority, pool: address, mint, tokenProgram: mintAccount.owner, oracle, oracleSource: source, params });
    await context.execute({
      title: `add collateral ${mint} to pool ${address}`,
      details: [`oracle ${oracle} (Pyth ${kind}${feed ? `, feed ${feed}` : ''})`, `vault ${built.vault}`, ...Object.entries(params).map(([k, v]) => `${k}: ${v}`)],
      instructions: built.instructions,
    });
  });

  withFields(
    collateral
      .command('update')
      .description('update_collateral: new risk parameters (unset ones keep their value) and optionally a new oracle')
      .option('--pool <address>', 'the pool')
      .option('--index <n>', "the collateral's index in the pool")
      .option('--mint <address>', 'or its mint')
      .option('--oracle <address>', 'a new oracle account (clears the cached price)')
      .addOption(new Option('--oracle-kind <kind>', "the new oracle's Pyth product (default: the current one)").choices(['legacy', 'pull']))
      .option('--feed-id <hex>', 'pull oracles: the 32-byte feed id'),
    'collateral',
  ).action(async (options: Options, command: Command) => {
    const context = make(command);
    const { address, pool: current } = await loadPool(context, options.pool);
    const listed = listedCollaterals(current);
    let index: number;
    if (options.index !== undefined) {
      index = parseWith(integer('u16'), options.index, '--index');
      if (index >= listed.length) throw new InputError(`--index: pool ${address} lists ${listed.length} collateral(s) (0 to ${listed.length - 1}), not ${index}`);
    } else if (typeof options.mint === 'string') {
      const mint = parseAddress(options.mint, '--mint');
      index = listed.findIndex((c) => c.mint === mint);
      if (index < 0) throw new InputError(`--mint: ${mint} is not a collateral of pool ${address}`);
    } else throw new InputError('give --index or --mint');
    const config = listed[index]!;
    const file = fileOf(options, 'collateral');
    const before = pick('collateral', config as unknown as Record<string, unknown>);
    const params = mergeParams('collateral', { base: before, file: file.params, flags: options });
    const diff = changes(before, params);
    let oracle: { address: Address; source: tx.OracleSourceInput } | undefined;
    if (options.oracle !== undefined) {
      const kind = parseWith(oracleKind, options.oracleKind ?? (config.oracleKind === OracleKind.PythLegacy ? 'legacy' : 'pull'), '--oracle-kind');
      const feed = options.feedId === undefined ? undefined : parseWith(feedId, options.feedId, '--feed-id');
      oracle = { address: parseAddress(String(options.oracle), '--oracle'), source: oracleSource(kind, feed) };
      diff.push(`oracle: ${config.oracle} → ${oracle.address} (Pyth ${kind}; the cached price is cleared)`);
    } else if (options.oracleKind !== undefined || options.feedId !== undefined) {
      throw new InputError('--oracle-kind and --feed-id go with --oracle');
    }
    if (!diff.length) {
      context.io.out(`collateral ${index} of pool ${address}: nothing to change`);
      return;
    }
    const built = await tx.updateCollateral({ authority: await context.signer(), pool: address, collateralIndex: index, params, oracle });
    await context.execute({ title: `update collateral ${index} (${config.mint}) of pool ${address}`, details: diff, instructions: built.instructions });
  });

  // --- tranches ---------------------------------------------------------------------
  const tranche = program.command('tranche').description('create and update tranches');

  withFields(
    tranche
      .command('init')
      .description('init_tranche: the next tranche (0 = most senior), its share mint and note vault')
      .option('--pool <address>', 'the pool')
      .option('--index <n>', "the tranche's index (default: the pool's tranche count)"),
    'tranche',
  ).action(async (options: Options, command: Command) => {
    const context = make(command);
    const { address, pool: current } = await loadPool(context, options.pool);
    const index = options.index === undefined ? current.trancheCount : parseWith(integer('u16'), options.index, '--index');
    if (index !== current.trancheCount) throw new InputError(`--index: the next tranche of pool ${address} is ${current.trancheCount}, not ${index}`);
    const params = mergeParams('tranche', { file: fileOf(options, 'tranche').params, flags: options });
    const authority = await context.signer();
    const built = await tx.initTranche({ payer: authority, authority, pool: address, index, params });
    await context.execute({
      title: `init tranche ${index} of pool ${address}`,
      details: [`tranche ${built.tranche}`, `share mint ${built.shareMint}`, `vault ${built.vault}`, ...Object.entries(params).map(([k, v]) => `${k}: ${v}`)],
      instructions: built.instructions,
    });
  });

  withFields(
    tranche
      .command('update')
      .description('update_tranche: new target yield and minimum subordination (unset ones keep their value)')
      .option('--pool <address>', 'the pool')
      .option('--index <n>', "the tranche's index"),
    'tranche',
  ).action(async (options: Options, command: Command) => {
    const context = make(command);
    const { address, pool: current } = await loadPool(context, options.pool);
    if (options.index === undefined) throw new InputError('--index: required');
    const index = parseWith(integer('u16'), options.index, '--index');
    if (index >= current.trancheCount) throw new InputError(`--index: pool ${address} has ${current.trancheCount} tranche(s), not ${index + 1}`);
    const existing = await fetchTranche(context.rpc, await trancheAddress(address, index));
    if (!existing) throw new InputError(`tranche ${index} of pool ${address} not found`);
    const before = pick('tranche', existing as unknown as Record<string, unknown>);
    const params = mergeParams('tranche', { base: before, file: fileOf(options, 'tranche').params, flags: options });
    const diff = changes(before, params);
    if (!diff.length) {
      context.io.out(`tranche ${index} of pool ${address}: nothing to change`);
      return;
    }
    const built = await tx.updateTranche({ authority: await context.signer(), pool: address, index, params });
    await context.execute({ title: `update tranche ${index} of pool ${address}`, details: diff, instructions: built.instructions });
  });

  // --- pause flags --------------------------------------------------------------------
  for (const [name, adding] of [['pause', true], ['unpause', false]] as const) {
    program
      .command(name)
      .description(`set_pause_flags: ${adding ? 'pauses' : 'resumes'} instruction families: deposit, withdraw, mint, liquidate, tranche, all (default all); repay and refresh are never paused`)
      .argument('[flags...]', 'families to change')
      .option('--pool <address>', 'the pool')
      .action(async (flags: string[], options: Options, command: Command) => {
        const context = make(command);
        const { address, pool: current } = await loadPool(context, options.pool);
        const bits = pauseBits(flags);
        const next = adding ? current.pauseFlags | bits : current.pauseFlags & ~bits;
        if (next === current.pauseFlags) {
          context.io.out(`pool ${address}: paused ${pauseNames(next)} already; nothing to change`);
          return;
        }
        const built = await tx.setPauseFlags({ authority: await context.signer(), pool: address, flags: next });
        await context.execute({ title: `${name} pool ${address}`, details: [`paused: ${pauseNames(current.pauseFlags)} → ${pauseNames(next)}`], instructions: built.instructions });
      });
  }

  // --- authority ----------------------------------------------------------------------
  const authority = program.command('authority').description('two-step authority hand-over');
  authority
    .command('propose')
    .description('propose_authority: names the next authority (who must accept)')
    .option('--pool <address>', 'the pool')
    .option('--new <address>', 'the proposed authority (a wallet or a multisig)')
    .action(async (options: Options, command: Command) => {
      const context = make(command);
      const { address, pool: current } = await loadPool(context, options.pool);
      if (typeof options.new !== 'string') throw new InputError('--new: required');
      const next = parseAddress(options.new, '--new');
      const built = await tx.proposeAuthority({ authority: await context.signer(), pool: address, newAuthority: next });
      await context.execute({ title: `propose authority of pool ${address}`, details: [`authority ${current.authority}`, `pending: ${current.pendingAuthority === SYSTEM_PROGRAM_ADDRESS ? 'none' : current.pendingAuthority} → ${next}`], instructions: built.instructions });
    });
  authority
    .command('cancel')
    .description('propose_authority(default address): withdraws a pending proposal')
    .option('--pool <address>', 'the pool')
    .action(async (options: Options, command: Command) => {
      const context = make(command);
      const { address, pool: current } = await loadPool(context, options.pool);
      if (current.pendingAuthority === SYSTEM_PROGRAM_ADDRESS) {
        context.io.out(`pool ${address}: no pending authority; nothing to cancel`);
        return;
      }
      const built = await tx.proposeAuthority({ authority: await context.signer(), pool: address, newAuthority: SYSTEM_PROGRAM_ADDRESS });
      await context.execute({ title: `cancel the authority proposal of pool ${address}`, details: [`pending: ${current.pendingAuthority} → none`], instructions: built.instructions });
    });
  authority
    .command('accept')
    .description('accept_authority: signed by the proposed authority (--keypair)')
    .option('--pool <address>', 'the pool')
    .action(async (options: Options, command: Command) => {
      const context = make(command);
      const { address, pool: current } = await loadPool(context, options.pool);
      const signer = await context.signer();
      const built = await tx.acceptAuthority({ newAuthority: signer, pool: address });
      await context.execute({ title: `accept authority of pool ${address}`, details: [`authority: ${current.authority} → ${signer.address}`], instructions: built.instructions });
    });

  // --- allowlist ----------------------------------------------------------------------
  program
    .command('allow')
    .description("allow: puts a wallet on a permissioned pool's allowlist")
    .argument('<wallet>', 'the wallet')
    .option('--pool <address>', 'the pool')
    .action(async (wallet: string, options: Options, command: Command) => {
      const context = make(command);
      const { address } = await loadPool(context, options.pool);
      const target = parseAddress(wallet, 'wallet');
      const signer = await context.signer();
      const built = await tx.allow({ payer: signer, authority: signer, pool: address, wallet: target });
      await context.execute({ title: `allow ${target} in pool ${address}`, details: [`entry ${built.entry}`], instructions: built.instructions });
    });
  program
    .command('disallow')
    .description("disallow: removes a wallet from a permissioned pool's allowlist and freezes its share accounts")
    .argument('<wallet>', 'the wallet')
    .option('--pool <address>', 'the pool')
    .option('--rent-receiver <address>', "receives the entry's rent (default: the signer)")
    .action(async (wallet: string, options: Options, command: Command) => {
      const context = make(command);
      const { address, pool } = await loadPool(context, options.pool);
      const target = parseAddress(wallet, 'wallet');
      const rentReceiver = options.rentReceiver === undefined ? undefined : parseAddress(String(options.rentReceiver), '--rent-receiver');
      // A permissioned pool freezes the wallet's share account of every tranche.
      const trancheCount = pool.permissioned ? pool.trancheCount : 0;
      const built = await tx.disallow({ authority: await context.signer(), pool: address, wallet: target, rentReceiver, trancheCount });
      if (!(await fetchAccount(context.rpc, built.entry))) throw new InputError(`${target} is not on the allowlist of pool ${address}`);
      const frozen = trancheCount > 0 ? [`share accounts of ${trancheCount} tranche(s) frozen`] : [];
      await context.execute({ title: `disallow ${target} in pool ${address}`, details: [`entry ${built.entry} closed`, ...frozen], instructions: built.instructions });
    });

  program
    .command('thaw')
    .description("thaw_share_account: thaws an allowlisted wallet's share accounts in a permissioned pool (anyone may sign)")
    .argument('<wallet>', 'the allowlisted wallet')
    .option('--pool <address>', 'the pool')
    .option('--index <n>', 'only this tranche (default: every tranche where the wallet has a share account)')
    .action(async (wallet: string, options: Options, command: Command) => {
      const context = make(command);
      const { address, pool } = await loadPool(context, options.pool);
      if (!pool.permissioned) throw new InputError(`pool ${address} is open: its share accounts are never frozen`);
      const target = parseAddress(wallet, 'wallet');
      const indices =
        options.index === undefined
          ? Array.from({ length: pool.trancheCount }, (_, i) => i)
          : [Number(parseWith(integer('u16'), options.index, '--index'))];
      const built = await Promise.all(indices.map((index) => tx.thawShareAccount({ pool: address, index, owner: target })));
      const existing = [];
      for (const [n, b] of built.entries()) if (await fetchAccount(context.rpc, b.shareAccount)) existing.push({ index: indices[n]!, ...b });
      if (existing.length === 0) throw new InputError(`${target} has no share account in pool ${address} to thaw`);
      await context.execute({
        title: `thaw ${target}'s share accounts in pool ${address}`,
        details: existing.map((b) => `tranche ${b.index}: ${b.shareAccount}`),
        instructions: existing.flatMap((b) => b.instructions),
      });
    });

  // --- show ---------------------------------------------------------------------------
  program
    .command('show')
    .description('a pool: parameters, collaterals with cached prices, tranches with NAV, positions with health')
    .argument('[pool]', 'the pool (or --pool)')
    .option('--pool <address>', 'the pool')
    .option('--no-positions', 'leave the positions out')
    .option('--json', 'print JSON (amounts in native units, as strings)')
    .action(async (positional: string | undefined, options: Options, command: Command) => {
      const context = make(command);
      const value = positional ?? options.pool;
      if (typeof value !== 'string') throw new InputError('show: give the pool address');
      const address = parseAddress(value, 'pool');
      const s = await snapshot(context.rpc, address, options.positions !== false);
      context.io.out(options.json ? toJson(s) : render(s));
    });
}
