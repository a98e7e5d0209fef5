/**
 * `strata-admin`: administers Strata pools from the command line.
 *
 *   npm run strata-admin -- show <pool>
 *   npx tsx cli/main.ts --url http://127.0.0.1:8899 --keypair admin.json pause --pool <pool> mint
 *
 * Global options (before or after the command): `--url`, `--ws-url`, `--keypair`, `--dry-run`
 * (simulate and print logs and result; send nothing), `-y` (send without asking;
 * without it the command asks on a terminal and refuses otherwise).
 * Exit status: 0 done (or nothing to do), 1 the transaction failed or would fail,
 * 2 bad input (flags, files, unknown pool, no confirmation).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { Command, CommanderError } from 'commander';

import { DEFAULT_KEYPAIR_PATH, InputError } from '../admin/chain.js';
import { registerCommands } from './commands.js';
import { Context, Failure, processIo, type GlobalOptions, type Io } from './run.js';

function buildProgram(io: Io = processIo, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('strata-admin')
    .description('Administers Strata pools: create and update pools, collaterals and tranches, pause, hand over authority, allowlists, and show a pool.')
    .option('-u, --url <url>', 'JSON-RPC URL or moniker (localhost, devnet, mainnet-beta); env STRATA_RPC_URL', env.STRATA_RPC_URL ?? 'http://127.0.0.1:8899')
    .option('--ws-url <url>', 'WebSocket URL the confirmations arrive on (default: from --url, the next port, as the Solana CLI does); env STRATA_WS_URL', env.STRATA_WS_URL)
    .option('-k, --keypair <file>', 'signer keypair file (solana-keygen JSON); env STRATA_KEYPAIR', env.STRATA_KEYPAIR ?? DEFAULT_KEYPAIR_PATH)
    .option('--dry-run', 'simulate the transaction, print its logs and result, send nothing')
    .option('-y, --yes', 'send without asking for confirmation')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  registerCommands(program, (command) => new Context(command.optsWithGlobals<GlobalOptions>(), io));
  return program;
}

/** Runs the CLI; returns the exit status. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InputError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof Failure) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Run when executed (`tsx cli/main.ts`), not when imported (tests).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await run(process.argv.slice(2));
}
