/**
 * The stress test command: reads a pool's book from a cluster and prints, for each
 * price shock, the positions that become liquidatable and the loss per tranche.
 *
 *   npm run stress -- --pool <address> [--rpc-url URL] [--state deploy-state.json]
 *       [--shock wSOL=-20 --shock "wSOL=-40,tBILL=-2" ...]
 *
 * Without --shock: every collateral down 10%, 20%, 30%, 40% and 50%. Collateral names
 * come from the deployment state file (`deploy`'s statePath); indices always work.
 */
import { readFileSync } from 'node:fs';

import { address, createSolanaRpc, isAddress } from '@solana/kit';
import { Command } from 'commander';

import type { DeployState } from '../admin/deploy.js';
import { DEFAULT_SHOCKS, stressPool } from './stress.js';

const program = new Command()
  .name('strata-stress')
  .description("Revalues a pool's book under price shocks (off-chain, with the program's math)")
  .option('--rpc-url <url>', 'JSON-RPC endpoint', 'http://127.0.0.1:8899')
  .option('--pool <address>', 'the pool (default: the one in --state)')
  .option('--state <path>', 'deployment state file, for collateral names')
  .option('--shock <moves>', 'NAME=PERCENT[,NAME=PERCENT...]; repeatable', (value: string, all: string[]) => [...all, value], [] as string[])
  .parse();

const flags = program.opts<{ rpcUrl: string; pool?: string; state?: string; shock: string[] }>();
const state = flags.state ? (JSON.parse(readFileSync(flags.state, 'utf8')) as DeployState) : undefined;
const pool = flags.pool ?? state?.pool;
if (!pool || !isAddress(pool)) {
  console.error('give --pool <address> (or --state with a deployed pool)');
  process.exit(2);
}
const names = Object.fromEntries(Object.entries(state?.collaterals ?? {}).map(([name, c]) => [name, c.index]));
try {
  // Unknown collateral names and malformed shocks are reported before any RPC call.
  console.log(`pool ${pool}: ${await stressPool(createSolanaRpc(flags.rpcUrl), address(pool), flags.shock.length > 0 ? flags.shock : DEFAULT_SHOCKS, names)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
