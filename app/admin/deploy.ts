/**
 * Idempotent pool set-up from a config: the pool (with its note mint and treasury),
 * its collaterals (existing mints, or new ones for local clusters, with their Pyth
 * oracles — on a local cluster a dev oracle is published too) and its tranches. Every
 * step checks the chain first, so a re-run after a partial failure finishes the job
 * and a complete re-run sends nothing. What it created is written to a state file so
 * new mints and oracles keep their addresses between runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import {
  generateKeyPairSigner,
  getBase16Decoder,
  getBase16Encoder,
  getBase64Encoder,
  isAddress,
  type Address,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import { getCreateAccountInstruction } from '@solana-program/system';
import { getInitializeMint2Instruction, getMintDecoder, getMintSize } from '@solana-program/token';
import { z } from 'zod';

import { OracleKind } from '../src/generated/index.js';
import {
  noteMintAddress,
  poolAddress,
  TOKEN_2022_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  trancheAddress,
  treasuryAddress,
  vaultAddress,
} from '../src/pda.js';
import * as tx from '../src/tx/index.js';
import { setPythLegacyPrice, setPythPullPrice } from './dev.js';
import { sendInstructions, type ClusterClient } from './send.js';

const int = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const bps = z.number().int().min(0).max(65_535);
const address = z.string().refine(isAddress, { message: 'not a base58 address' });

const poolParams = z.object({
  stabilityFeeBps: bps,
  debtCeiling: int,
  minDebt: int,
  closeFactorBps: bps,
  keeperTipBps: bps,
  protocolFeeBps: bps,
  coverageFloorBps: bps,
  /** Seconds from a redemption request to its claim (the program bounds it below by
   * every collateral's max age + 60). */
  redemptionDelaySecs: z.number().int().nonnegative(),
});

const collateralParams = z.object({
  ltvBps: bps,
  liquidationThresholdBps: bps,
  liquidationBonusMinBps: bps,
  liquidationBonusMaxBps: bps,
  depositCap: int,
  maxAgeSecs: z.number().int().positive(),
  maxConfBps: bps,
  maxEmaDeviationBps: bps,
});

const oracle = z.object({
  kind: z.enum(['legacy', 'pull']),
  /** The Pyth account; absent on a local cluster: one is created and published (`dev`). */
  address: address.optional(),
  /** Pull feeds: the 32-byte feed id, hex. */
  feedId: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/).optional(),
  /** Local clusters: the price to publish, `price × 10^expo`. */
  dev: z.object({ price: int, expo: z.number().int(), conf: int.optional() }).optional(),
});

export const DeployConfigSchema = z
  .object({
    pool: z.object({
      id: z.number().int().nonnegative(),
      permissioned: z.boolean().default(false),
      treasuryOwner: address.optional(),
      params: poolParams,
    }),
    collaterals: z
      .array(
        z.object({
          name: z.string().min(1),
          /** An existing mint, or one to create (local clusters). */
          mint: z.union([address, z.object({ create: z.object({ decimals: z.number().int().min(0).max(18), token2022: z.boolean().default(false) }) })]),
          oracle,
          params: collateralParams,
        }),
      )
      .min(1)
      .max(8),
    tranches: z.array(z.object({ targetAprBps: bps, minSubordinationBps: bps })).max(4).default([]),
  })
  .strict();

export type DeployConfig = z.output<typeof DeployConfigSchema>;

/** What a deployment created, by config name. */
export type DeployState = {
  pool: Address;
  noteMint: Address;
  treasury: Address;
  collaterals: Record<string, { index: number; mint: Address; tokenProgram: Address; oracle: Address; kind: 'legacy' | 'pull'; feedId: string; decimals: number }>;
  tranches: Address[];
};

export type DeployOptions = ClusterClient & {
  /** RPC URL, for the dev methods of a local cluster. */
  url: string;
  authority: TransactionSigner;
  /** Where the created mints and oracles are remembered between runs. */
  statePath?: string;
  /** Mint authority for created mints (default: the authority). */
  mintAuthority?: TransactionSigner;
  log?: (message: string) => void;
};

export function parseDeployConfig(json: unknown): DeployConfig {
  const parsed = DeployConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid deploy config:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  return parsed.data;
}

const exists = async (rpc: Rpc<SolanaRpcApi>, account: Address) =>
  (await rpc.getAccountInfo(account, { encoding: 'base64' }).send()).value !== null;

const hex = (bytes: Uint8Array) => getBase16Decoder().decode(bytes);

/** Creates the account of a new mint (rent-exempt, `getMintSize()` bytes) under
 * `tokenProgram` (default SPL Token) and initialises it (`InitializeMint2`, no freeze
 * authority). `mint` signs the account creation. */
export async function createMintInstructions(
  rpc: Rpc<SolanaRpcApi>,
  input: { payer: TransactionSigner; mint: TransactionSigner; decimals: number; mintAuthority: Address; tokenProgram?: Address },
): Promise<Instruction[]> {
  const tokenProgram = input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const space = BigInt(getMintSize());
  const lamports = await rpc.getMinimumBalanceForRentExemption(space).send();
  return [
    getCreateAccountInstruction({ payer: input.payer, newAccount: input.mint, lamports, space, programAddress: tokenProgram }),
    getInitializeMint2Instruction(
      { mint: input.mint.address, decimals: input.decimals, mintAuthority: input.mintAuthority, freezeAuthority: null },
      { programAddress: tokenProgram },
    ),
  ];
}

/** Runs the deployment; returns (and saves) what exists afterwards. */
export async function deploy(config: DeployConfig, options: DeployOptions): Promise<DeployState> {
  const { rpc, authority } = options;
  const log = options.log ?? (() => {});
  const previous: Partial<DeployState> =
    options.statePath && existsSync(options.statePath) ? (JSON.parse(readFileSync(options.statePath, 'utf8')) as DeployState) : {};
  const pool = await poolAddress(authority.address, config.pool.id);
  const state: DeployState = {
    pool,
    noteMint: await noteMintAddress(pool),
    treasury: await treasuryAddress(pool, config.pool.treasuryOwner ? (config.pool.treasuryOwner as Address) : authority.address),
    collaterals: {},
    tranches: [],
  };
  const save = () => {
    if (options.statePath) writeFileSync(options.statePath, `${JSON.stringify(state, null, 2)}\n`);
  };

  if (!(await exists(rpc, pool))) {
    log(`init_pool ${pool}`);
    const built = await tx.initPool({
      payer: authority,
      authority,
      poolId: config.pool.id,
      params: config.pool.params,
      treasuryOwner: config.pool.treasuryOwner as Address | undefined,
      permissioned: config.pool.permissioned,
    });
    await sendInstructions(options, authority, built.instructions);
  }

  for (const [index, collateral] of config.collaterals.entries()) {
    const known = previous.collaterals?.[collateral.name];
    // The mint: configured, remembered, or created now.
    let mint: Address;
    let tokenProgram: Address = TOKEN_PROGRAM_ADDRESS;
    let decimals: number;
    if (typeof collateral.mint === 'string') {
      mint = collateral.mint as Address;
      const info = await rpc.getAccountInfo(mint, { encoding: 'base64' }).send();
      if (!info.value) throw new Error(`collateral ${collateral.name}: mint ${mint} does not exist`);
      tokenProgram = info.value.owner;
      decimals = getMintDecoder().decode(getBase64Encoder().encode(info.value.data[0])).decimals;
    } else if (known && (await exists(rpc, known.mint))) {
      ({ mint, tokenProgram, decimals } = known);
    } else {
      const keypair = await generateKeyPairSigner();
      mint = keypair.address;
      decimals = collateral.mint.create.decimals;
      tokenProgram = collateral.mint.create.token2022 ? TOKEN_2022_PROGRAM_ADDRESS : TOKEN_PROGRAM_ADDRESS;
      const instructions = await createMintInstructions(rpc, {
        payer: authority,
        mint: keypair,
        decimals,
        mintAuthority: (options.mintAuthority ?? authority).address,
        tokenProgram,
      });
      log(`create mint ${collateral.name} ${mint}`);
      await sendInstructions(options, authority, instructions);
    }
    // The oracle: configured, remembered, or a dev account published now.
    const feedId = collateral.oracle.feedId?.replace(/^0x/, '') ?? known?.feedId ?? (collateral.oracle.kind === 'pull' ? hex(crypto.getRandomValues(new Uint8Array(32))) : '00'.repeat(32));
    let oracleAddress = (collateral.oracle.address as Address | undefined) ?? known?.oracle;
    if (!oracleAddress) oracleAddress = (await generateKeyPairSigner()).address;
    if (collateral.oracle.dev) {
      const publish = collateral.oracle.kind === 'legacy' ? setPythLegacyPrice : setPythPullPrice;
      await publish(options.url, oracleAddress, { ...collateral.oracle.dev, ...(collateral.oracle.kind === 'pull' ? { feedId } : {}) });
    }
    state.collaterals[collateral.name] = { index, mint, tokenProgram, oracle: oracleAddress, kind: collateral.oracle.kind, feedId, decimals };
    save();
    if (!(await exists(rpc, await vaultAddress(pool, mint)))) {
      log(`add_collateral ${collateral.name} (index ${index})`);
      const built = await tx.addCollateral({
        payer: authority,
        authority,
        pool,
        mint,
        tokenProgram,
        oracle: oracleAddress,
        oracleSource: {
          kind: collateral.oracle.kind === 'legacy' ? OracleKind.PythLegacy : OracleKind.PythPull,
          feedId: collateral.oracle.kind === 'pull' ? getBase16Encoder().encode(feedId) : undefined,
        },
        params: collateral.params,
      });
      await sendInstructions(options, authority, built.instructions);
    }
  }

  for (const [index, tranche] of config.tranches.entries()) {
    const address = await trancheAddress(pool, index);
    if (!(await exists(rpc, address))) {
      log(`init_tranche ${index}`);
      const built = await tx.initTranche({ payer: authority, authority, pool, index, params: tranche });
      await sendInstructions(options, authority, built.instructions);
    }
    state.tranches.push(address);
  }
  save();
  return state;
}
