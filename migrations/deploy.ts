/**
 * Strata's deploy script (Anchor's `migrations/` layout): sets up the pools,
 * collaterals, oracles and tranches a JSON config describes, through the TypeScript
 * client's `deploy`. Idempotent: every step checks the chain first, so a re-run
 * finishes an interrupted set-up and a complete re-run sends nothing.
 *
 *   cd app && npm run deploy -- --config ../migrations/localnet.json --url http://127.0.0.1:8899 --keypair ~/.config/solana/id.json
 *   cd app && npx tsx ../migrations/deploy.ts --help
 *
 * It imports the client (`app/src`) and its Node tools (`app/admin`), whose dependencies
 * live in `app/node_modules`.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import {
  connect,
  DEFAULT_KEYPAIR_PATH,
  InputError,
  loadKeypairSigner,
  resolveRpcUrl,
  resolveWsUrl,
} from '../app/admin/chain.js';
import { deploy, parseDeployConfig, type DeployState } from '../app/admin/deploy.js';
import { airdrop } from '../app/admin/dev.js';
import { tokenProgramName } from '../app/src/pda.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: deploy.ts [--config FILE] [--url URL] [--ws-url URL] [--keypair FILE] [--state FILE] [--airdrop SOL] [--json]

  --config FILE   deploy config (default: migrations/localnet.json; env STRATA_DEPLOY_CONFIG)
  --url URL       JSON-RPC endpoint or moniker (localhost, devnet, ...; env STRATA_RPC_URL,
                  ANCHOR_PROVIDER_URL; default http://127.0.0.1:8899)
  --ws-url URL    WebSocket URL the confirmations arrive on (env STRATA_WS_URL; default
                  from --url, the next port, as the Solana CLI does)
  --keypair FILE  the pool authority, pays for everything (env STRATA_KEYPAIR, ANCHOR_WALLET;
                  default ~/.config/solana/id.json)
  --state FILE    where created mints and oracles are remembered between runs
                  (default: the config's path with .state.json)
  --airdrop SOL   first top the authority up to SOL by airdrop (local clusters)
  --json          print the resulting addresses as JSON only`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        url: { type: 'string' },
        'ws-url': { type: 'string' },
        keypair: { type: 'string' },
        state: { type: 'string' },
        airdrop: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = process.env;
  const configPath = resolve(values.config ?? env.STRATA_DEPLOY_CONFIG ?? join(HERE, 'localnet.json'));
  const url = resolveRpcUrl(values.url ?? env.STRATA_RPC_URL ?? env.ANCHOR_PROVIDER_URL ?? 'http://127.0.0.1:8899');
  const keypairPath = values.keypair ?? env.STRATA_KEYPAIR ?? env.ANCHOR_WALLET ?? DEFAULT_KEYPAIR_PATH;
  const statePath = resolve(values.state ?? join(dirname(configPath), `${basename(configPath, '.json')}.state.json`));

  let json: unknown;
  try {
    json = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (error) {
    throw new InputError(`config ${configPath}: ${(error as Error).message}`);
  }
  let config;
  try {
    config = parseDeployConfig(json);
  } catch (error) {
    throw new InputError(`config ${configPath}: ${(error as Error).message}`);
  }
  const authority = await loadKeypairSigner(keypairPath);
  const client = connect(url, resolveWsUrl(values['ws-url'] ?? env.STRATA_WS_URL, url));
  const { rpc } = client;
  const say = values.json ? () => {} : (line: string) => console.log(line);

  say(`deploying ${configPath} to ${url} as ${authority.address}`);
  if (values.airdrop !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(values.airdrop)) throw new InputError(`--airdrop: expected SOL, got '${values.airdrop}'`);
    const target = BigInt(Math.round(Number(values.airdrop) * 1e9));
    const { value: balance } = await rpc.getBalance(authority.address).send();
    if (balance < target) {
      say(`  airdrop ${Number(target - balance) / 1e9} SOL`);
      await airdrop(rpc, [authority.address], { lamports: target - balance });
    }
  }
  let steps = 0;
  const state = await deploy(config, {
    ...client,
    url,
    authority,
    statePath,
    log: (message) => {
      steps += 1;
      say(`  ${message}`);
    },
  });
  if (values.json) {
    console.log(JSON.stringify(state, null, 2));
    return;
  }
  if (steps === 0) say('  nothing to do: everything exists');
  printState(state, statePath);
}

function printState(state: DeployState, statePath: string): void {
  const rows: [string, string][] = [
    ['pool', state.pool],
    ['note mint', state.noteMint],
    ['treasury', state.treasury],
  ];
  for (const [name, c] of Object.entries(state.collaterals)) {
    rows.push([`collateral ${c.index}`, `${name}: mint ${c.mint} (${tokenProgramName(c.tokenProgram)}, ${c.decimals} decimals)`]);
    rows.push(['', `oracle ${c.oracle} (Pyth ${c.kind}${c.kind === 'pull' ? `, feed 0x${c.feedId}` : ''})`]);
  }
  state.tranches.forEach((tranche, index) => rows.push([`tranche ${index}`, `${tranche}${index === 0 ? ' (senior)' : index === state.tranches.length - 1 ? ' (junior)' : ''}`]));
  rows.push(['state file', statePath]);
  for (const [label, value] of rows) console.log(`${label.padEnd(13)}${value}`);
}

main().catch((error: unknown) => {
  console.error(`deploy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof InputError ? 2 : 1);
});
