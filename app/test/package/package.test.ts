/**
 * The client as another project gets it: `npm pack` (which builds dist/ first), the
 * tarball laid out under a temporary project's node_modules as `npm install` lays it
 * out, and then the package imported by plain Node, type-checked by a consumer under
 * Node's own module resolution, and bundled by Vite for the browser and run in
 * Chromium. Each run of `sample.js` must give what the sources in the repo give.
 *
 * The package's dependencies are linked from app/node_modules rather than fetched, so
 * the test needs no registry; only the dependencies the packed package.json declares
 * are linked, so an undeclared import fails here as it would for a user.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as kit from '@solana/kit';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import * as client from '../../src/index.js';
import { startBrowser } from '../web/browser.js';
import { sample } from './sample.js';

const APP = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE = fileURLToPath(new URL('./sample.js', import.meta.url));

/** Runs a command; a failure carries its output. */
function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/** What only Node has: its modules, Buffer, process, require, CommonJS paths. */
const NODE_ONLY = /from\s*['"]node:|import\(\s*['"]node:|\brequire\(|\bBuffer\b|\bprocess\.|__dirname|__filename/;

describe('app/src, the package', () => {
  // The build cannot refuse these by type alone: kit's HTTP transport declarations
  // bring Node's types in. So the sources are read.
  it('uses nothing only Node has', () => {
    const src = join(APP, 'src');
    const offending = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        readFileSync(join(src, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (NODE_ONLY.test(line) ? [`src/${file}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(offending).toEqual([]);
  });
});

describe('@strata/client packed (npm pack) and installed elsewhere', { timeout: 120_000 }, () => {
  let project: string;
  let installed: string;
  let expected: unknown;

  beforeAll(async () => {
    expected = await sample(client, kit);
    project = mkdtempSync(join(tmpdir(), 'strata-package-'));
    run('npm', ['pack', '--silent', '--pack-destination', project], APP);
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${project}`);

    installed = join(project, 'node_modules', '@strata', 'client');
    mkdirSync(installed, { recursive: true });
    run('tar', ['-xzf', join(project, tarball), '-C', installed, '--strip-components=1'], project);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies)) {
      const link = join(project, 'node_modules', dependency);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(APP, 'node_modules', dependency), link, 'dir');
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    copyFileSync(SAMPLE, join(project, 'sample.js'));
  }, 180_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('packs the built modules and their declarations, not the sources', () => {
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' });
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/generated/index.js']));
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.some((file) => file.startsWith('src/') || file.startsWith('test/'))).toBe(false);
  });

  it('imports in plain Node and gives what the sources give', () => {
    const script = [
      "import * as client from '@strata/client';",
      "import * as kit from '@solana/kit';",
      "import { sample } from './sample.js';",
      "console.log(JSON.stringify({ from: import.meta.resolve('@strata/client'), result: await sample(client, kit) }));",
    ].join('\n');
    const output = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], project)) as { from: string; result: unknown };
    expect(fileURLToPath(output.from)).toBe(join(installed, 'dist', 'index.js'));
    expect(output.result).toEqual(expected);
  });

  it("type-checks a consumer under Node's module resolution (nodenext)", () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { poolAddress, tx, type Pool } from '@strata/client';",
        "import type { Address } from '@solana/kit';",
        "export const pool: Promise<Address> = poolAddress('11111111111111111111111111111111' as Address, 1);",
        'export const flags: number = tx.PauseFlags.All;',
        "export const count = (p: Pool): number => p.collateralCount;",
        '// @ts-expect-error the declarations are real types, not `any`: a pool id is a number or bigint',
        "export const wrong = poolAddress('11111111111111111111111111111111' as Address, 'one');",
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.ts'] }),
    );
    expect(() => run(process.execPath, [join(APP, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project)).not.toThrow();
  });

  it('bundles with Vite for the browser without Node built-ins, and runs in Chromium', async () => {
    writeFileSync(join(project, 'index.html'), '<!doctype html><html><body><script type="module" src="./entry.js"></script></body></html>');
    writeFileSync(
      join(project, 'entry.js'),
      [
        "import * as client from '@strata/client';",
        "import * as kit from '@solana/kit';",
        "import { sample } from './sample.js';",
        'sample(client, kit).then((result) => { window.sampleResult = result; }, (error) => { window.sampleError = String(error?.stack ?? error); });',
      ].join('\n'),
    );
    // Vite replaces a Node built-in in a browser build with an empty stub and warns.
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => warnings.push(message);
    const outDir = join(project, 'web');
    await build({ root: project, configFile: false, base: './', customLogger: logger, build: { outDir, target: 'es2022', minify: false } });
    expect(warnings.filter((w) => /externalized for browser compatibility|node:/.test(w))).toEqual([]);

    const assets = readdirSync(join(outDir, 'assets')).filter((name) => name.endsWith('.js'));
    const code = assets.map((name) => readFileSync(join(outDir, 'assets', name), 'utf8')).join('\n');
    expect(code).toContain('STRAtAvDY6Xh3yVNvKP1UazQuBv2c1ZQfgaBuqTzqu4');
    expect(code).not.toMatch(/__vite-browser-external|\bfrom\s*["']node:|\brequire\(\s*["'](node:)?(fs|os|crypto|path|buffer)["']/);

    // Served from an https origin (routed, nothing leaves the machine): WebCrypto,
    // which kit derives addresses with, exists only in secure contexts.
    const browser = await startBrowser();
    try {
      const page = await browser.context.newPage();
      await page.route('https://strata.test/**', (route) =>
        route.fulfill({ path: join(outDir, new URL(route.request().url()).pathname.slice(1) || 'index.html') }),
      );
      await page.goto('https://strata.test/index.html');
      await page.waitForFunction(() => 'sampleResult' in window || 'sampleError' in window, undefined, { timeout: 30_000 });
      const { result, error } = await page.evaluate(() => {
        const w = window as unknown as { sampleResult?: unknown; sampleError?: string };
        return { result: w.sampleResult, error: w.sampleError };
      });
      expect(error).toBeUndefined();
      expect(result).toEqual(expected);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
