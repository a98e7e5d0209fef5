/**
 * The admin CLI run as a user runs it (a child process, stdin not a terminal)
 * against the real local cluster: `-y` sends, `--dry-run` and a missing confirmation
 * send nothing, bad input exits with status 2 and says what is wrong, a program
 * refusal exits with status 1 and names the error, and `show` prints the pool, its
 * collaterals, tranches and positions with health.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';

import { generateKeyPairSigner, type Address, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import { run } from '../../cli/main.js';
import { fetchAccount, fetchPool } from '../../admin/chain.js';
import { allowlistEntryAddress, poolAddress, trancheAddress, tx } from '../../src/index.js';
import { endpointFlags, startCluster, type Cluster } from './cluster.js';
import { keypairFile, LOCAL_CONFIG, runScript, SOL, USD, World } from './harness.js';

const POOL_PARAMS = LOCAL_CONFIG.pool.params;

// Each run of the CLI is a Node process compiling TypeScript (about a second).
describe('strata-admin (the CLI) against the cluster', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let admin: { path: string; signer: KeyPairSigner };
  let pool: Address;

  /** Runs the CLI with the cluster's URL and the admin's keypair unless given. */
  const cli = (args: readonly string[], keypair = admin.path) => runScript('cli/main.ts', [...endpointFlags(cluster), '--keypair', keypair, ...args]);
  const balance = async (address: Address) => (await cluster.rpc.getBalance(address).send()).value;

  beforeAll(async () => {
    cluster = await startCluster();
    admin = await keypairFile(cluster);
    pool = await poolAddress(admin.signer.address, 42);
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('creates a pool from a JSON file and flags (-y), then shows it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'strata-cli-')), 'pool.json');
    writeFileSync(file, JSON.stringify({ params: { ...POOL_PARAMS, stabilityFeeBps: 100 } }));
    const created = await cli(['-y', 'pool', 'create', '--id', '42', '--file', file, '--stability-fee-bps', '250']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`create pool ${pool}`);
    expect(created.stdout).toMatch(/^sent \w+$/m);
    expect(created.stdout).toContain('event PoolInitialized');
    expect((await fetchPool(cluster.rpc, pool)).stabilityFeeBps).toBe(250); // the flag wins over the file

    const tranches = await cli(['tranche', 'init', '--pool', pool, '--target-apr-bps', '800', '--min-subordination-bps', '2000', '-y']);
    expect(tranches.code).toBe(0);
    expect(tranches.stdout).toContain('event TrancheInitialized');

    const shown = await cli(['show', pool]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`pool ${pool}`);
    expect(shown.stdout).toMatch(/authority\s+\w+/);
    expect(shown.stdout).toMatch(/stability fee\s+2\.50% APR/);
    expect(shown.stdout).toContain('collaterals (0)');
    expect(shown.stdout).toContain(`tranches (1)\n  #0 junior ${await trancheAddress(pool, 0)}`); // a lone tranche is the residual one
    expect(shown.stdout).toContain('positions (0)');
    const json = JSON.parse((await cli(['show', pool, '--json'])).stdout);
    expect(json.pool).toMatchObject({ authority: admin.signer.address, stabilityFeeBps: 250, trancheCount: 1, poolId: '42' });
  });

  it('--dry-run simulates and prints logs and events, and sends nothing', async () => {
    const before = await balance(admin.signer.address);
    const dry = await cli(['--dry-run', 'pause', '--pool', pool, 'mint']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('paused: none → mint');
    expect(dry.stdout).toContain('dry run (simulated, nothing sent): would succeed');
    expect(dry.stdout).toContain('Program STRAtAvDY6Xh3yVNvKP1UazQuBv2c1ZQfgaBuqTzqu4 invoke [1]');
    expect(dry.stdout).toContain('event PauseFlagsSet {"pool":"' + pool + '","old":0,"new":4}');
    expect((await fetchPool(cluster.rpc, pool)).pauseFlags).toBe(0);
    expect(await balance(admin.signer.address)).toBe(before); // not even a fee
  });

  it('without -y it refuses to send when stdin is not a terminal', async () => {
    const before = await balance(admin.signer.address);
    const refused = await cli(['pause', '--pool', pool]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not sending: confirmation needed but stdin is not a terminal (pass -y to send, or --dry-run to simulate)');
    expect((await fetchPool(cluster.rpc, pool)).pauseFlags).toBe(0);
    expect(await balance(admin.signer.address)).toBe(before);
  });

  it('on a terminal it asks first: "n" cancels, "y" sends (in process, stdin a fake TTY)', async () => {
    const ask = async (answer: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      const out: string[] = [];
      const err: string[] = [];
      const prompt = new PassThrough();
      const status = run([...endpointFlags(cluster), '--keypair', admin.path, 'pause', '--pool', pool, 'tranche'], { out: (l) => out.push(l), err: (l) => err.push(l), stdin, prompt });
      setTimeout(() => stdin.write(`${answer}\n`), 300);
      return { code: await status, out: out.join('\n'), err: err.join('\n') };
    };
    const cancelled = await ask('n');
    expect(cancelled.code).toBe(1);
    expect(cancelled.err).toContain('not sent: cancelled');
    expect((await fetchPool(cluster.rpc, pool)).pauseFlags).toBe(0);
    const sent = await ask('y');
    expect(sent.code).toBe(0);
    expect(sent.out).toContain('event PauseFlagsSet');
    expect((await fetchPool(cluster.rpc, pool)).pauseFlags).toBe(tx.PauseFlags.Tranche);
    expect((await cli(['unpause', '--pool', pool, '-y'])).code).toBe(0);
  });

  it('-y sends: pause and unpause by name, and an update changes only what is given', async () => {
    const paused = await cli(['pause', '--pool', pool, 'mint,deposit', '-y']);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('paused: none → deposit, mint');
    expect((await fetchPool(cluster.rpc, pool)).pauseFlags).toBe(tx.PauseFlags.Mint | tx.PauseFlags.Deposit);
    const resumed = await cli(['unpause', '--pool', pool, 'deposit', '-y']);
    expect(resumed.stdout).toContain('paused: deposit, mint → mint');
    expect((await fetchPool(cluster.rpc, pool)).pauseFlags).toBe(tx.PauseFlags.Mint);
    const again = await cli(['unpause', '--pool', pool, 'deposit', '-y']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to change');

    const updated = await cli(['-y', 'pool', 'update', '--pool', pool, '--min-debt', '20000000']);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('minDebt: 10000000 → 20000000');
    expect(updated.stdout).toContain('event PoolParamsUpdated');
    const after = await fetchPool(cluster.rpc, pool);
    expect([after.minDebt, after.stabilityFeeBps, after.debtCeiling]).toEqual([20_000_000n, 250, BigInt(POOL_PARAMS.debtCeiling)]);
  });

  it('hands authority over in two steps; the old authority is then refused by name (Unauthorized)', async () => {
    const next = await keypairFile(cluster, 10);
    const proposed = await cli(['authority', 'propose', '--pool', pool, '--new', next.signer.address, '-y']);
    expect(proposed.code).toBe(0);
    expect(proposed.stdout).toContain('event AuthorityProposed');
    // Only the proposed wallet may accept.
    const stranger = await keypairFile(cluster, 10);
    const wrong = await cli(['authority', 'accept', '--pool', pool, '-y'], stranger.path);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('transaction failed: NotPendingAuthority (error ');
    const accepted = await cli(['authority', 'accept', '--pool', pool, '-y'], next.path);
    expect(accepted.code).toBe(0);
    expect((await fetchPool(cluster.rpc, pool)).authority).toBe(next.signer.address);

    const refused = await cli(['pause', '--pool', pool, '-y']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/transaction failed: Unauthorized \(error 6\d{3}, instruction 0\): Signer is not the pool authority/);
    const dry = await cli(['pause', '--pool', pool, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('would fail');
    expect(dry.stderr).toContain('would fail: Unauthorized');
    // And back.
    await cli(['authority', 'propose', '--pool', pool, '--new', admin.signer.address, '-y'], next.path);
    expect((await cli(['authority', 'accept', '--pool', pool, '-y'])).code).toBe(0);
  });

  it('allows and disallows wallets in a permissioned pool', async () => {
    const permissioned = await poolAddress(admin.signer.address, 43);
    const flags = Object.entries(POOL_PARAMS).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v)]);
    expect((await cli(['pool', 'create', '--id', '43', '--permissioned', ...flags, '-y'])).code).toBe(0);
    const wallet = (await generateKeyPairSigner()).address;
    const allowed = await cli(['allow', wallet, '--pool', permissioned, '-y']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('event AllowlistChanged');
    expect(await fetchAccount(cluster.rpc, await allowlistEntryAddress(permissioned, wallet))).not.toBeNull();
    expect((await cli(['disallow', wallet, '--pool', permissioned, '-y'])).code).toBe(0);
    expect(await fetchAccount(cluster.rpc, await allowlistEntryAddress(permissioned, wallet))).toBeNull();
    const gone = await cli(['disallow', wallet, '--pool', permissioned, '-y']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`${wallet} is not on the allowlist of pool ${permissioned}`);
  });

  it('bad input exits with status 2 and a clear message, sending nothing', async () => {
    const before = await balance(admin.signer.address);
    const cases: [string[], RegExp][] = [
      [['pool', 'update', '--pool', pool, '--stability-fee-bps', 'abc', '-y'], /--stability-fee-bps: expected a whole number ≥ 0, got 'abc'/],
      [['pool', 'update', '--pool', pool, '--stability-fee-bps', '9000', '-y'], /--stability-fee-bps: at most 5000/],
      [['pool', 'update', '--pool', pool, '--min-debt', '99999999999999999999', '-y'], /--min-debt: must be at most 18446744073709551615 \(u64\)/],
      [['pool', 'create', '--id', '44', '--stability-fee-bps', '100', '-y'], /--debt-ceiling: missing/],
      [['pool', 'update', '--pool', '11111111111111111111111111111112', '--min-debt', '1', '-y'], /pool 11111111111111111111111111111112 not found/],
      [['pool', 'update', '--pool', admin.signer.address, '--min-debt', '1', '-y'], /is not a Strata pool/],
      [['show', 'not-an-address'], /pool: 'not-an-address' is not a base58 address/],
      [['pause', '--pool', pool, 'everything', '-y'], /unknown pause flag 'everything'/],
      [['tranche', 'init', '--pool', pool, '--index', '3', '--target-apr-bps', '1', '--min-subordination-bps', '1', '-y'], /the next tranche of pool \w+ is 1, not 3/],
      [['--url', 'nowhere', 'show', pool], /--url: expected http\(s\):\/\/… or one of localhost/],
      [['pool', 'frobnicate'], /unknown command 'frobnicate'/],
      [['pause', '--pool', pool, '--bogus'], /unknown option '--bogus'/],
    ];
    // Four as a user would see them (child processes), the rest in process (faster).
    const inProcess = async (args: readonly string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await run([...endpointFlags(cluster), '--keypair', admin.path, ...args], { out: (l) => out.push(l), err: (l) => err.push(l), stdin: process.stdin });
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    };
    const results = await Promise.all(cases.map(([args], i) => (i % 3 === 0 ? cli(args) : inProcess(args))));
    results.forEach((result, i) => {
      expect(result.code, cases[i]![0].join(' ')).toBe(2);
      expect(result.stderr, cases[i]![0].join(' ')).toMatch(cases[i]![1]);
    });
    const noKey = await cli(['pause', '--pool', pool, '-y'], '/nonexistent/id.json');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('keypair /nonexistent/id.json: no such file');
    expect(await balance(admin.signer.address)).toBe(before);
  });

  describe('on a pool with collaterals and positions (local cluster)', () => {
    let world: World;
    const local = (ctx: TestContext) => {
      if (!cluster.local) ctx.skip();
    };
    beforeAll(async () => {
      if (cluster.local) world = await World.deploy(cluster, LOCAL_CONFIG, admin.signer);
    }, 60_000);

    it('updates a collateral and shows cached prices, tranche NAV and position health', async (ctx) => {
      local(ctx);
      const borrower = await world.user({ wSOL: SOL(2) });
      await world.deposit(borrower, 'wSOL', SOL(2));
      await world.mint(borrower, USD(100));

      const updated = await cli(['collateral', 'update', '--pool', world.pool, '--mint', world.ref('wSOL').mint, '--ltv-bps', '5500', '-y']);
      expect(updated.code).toBe(0);
      expect(updated.stdout).toContain('ltvBps: 6000 → 5500');
      expect(updated.stdout).toContain('event CollateralUpdated');
      expect((await world.fetchPool()).collaterals[0]!.ltvBps).toBe(5500);
      const invalid = await cli(['collateral', 'update', '--pool', world.pool, '--index', '1', '--ltv-bps', '9500', '-y']);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain('--ltv-bps: must be below liquidationThresholdBps');

      const shown = await cli(['show', world.pool]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('collaterals (2)');
      expect(shown.stdout).toMatch(/price\s+\$150\.00 \(ema \$150\.00, conf ±\$0\.00\), published \d+s ago/);
      expect(shown.stdout).toMatch(/price\s+\$1\.00 /);
      expect(shown.stdout).toContain('Pyth pull, feed 0x');
      expect(shown.stdout).toMatch(/#1 junior \w+\n\s+NAV\s+\$0\.00/);
      expect(shown.stdout).toContain('positions (1)');
      // 2 SOL × $150 × 80% / $100 = 2.40.
      expect(shown.stdout).toMatch(new RegExp(`owner ${borrower.address}\\n\\s+health 2\\.(39|40), debt \\$100\\.00`));
      const json = JSON.parse((await cli(['show', world.pool, '--json'])).stdout);
      expect(json.positions).toHaveLength(1);
      expect(json.positions[0].report.liquidatable).toBe(false);
      expect(json.pool.collaterals[0].priceWad).toBe(((15n * 10n ** 18n) / 100n).toString());
    });

    it('refuses, by name, an oracle account that Pyth does not own (OracleOwnerMismatch)', async (ctx) => {
      local(ctx);
      const mint = await world.createMint();
      const added = await cli([
        'collateral', 'add', '--pool', world.pool, '--mint', mint, '--oracle', admin.signer.address, '--oracle-kind', 'legacy',
        '--ltv-bps', '5000', '--liquidation-threshold-bps', '7000', '--liquidation-bonus-min-bps', '100', '--liquidation-bonus-max-bps', '500',
        '--deposit-cap', '1000', '--max-age-secs', '60', '--max-conf-bps', '100', '--max-ema-deviation-bps', '100', '-y',
      ]);
      expect(added.code).toBe(1);
      expect(added.stderr).toMatch(/transaction failed: OracleOwnerMismatch \(error 6\d{3}, instruction 0\): Oracle account is not owned by the expected Pyth program/);
    });
  });
});
