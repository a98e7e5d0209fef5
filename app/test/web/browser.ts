/**
 * The browser side of the web app's tests: the app built with `vite build` (what
 * `npm run web:build` writes) and served by Vite's preview server with the test's
 * `strata-web.json`; Debian's Chromium driven by playwright-core, headless, with a
 * fresh user data dir and the flags that keep it from calling out on a closed network;
 * the test wallet bundled with esbuild and injected before the page's scripts run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build as esbuild } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build as viteBuild, preview, type PreviewServer } from 'vite';

import type { WebFile } from '../../web/dev/demo.js';
import { webFilePlugin } from '../../web/dev/web-file.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
/** Screenshots and other artifacts of the browser tests (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Builds the app (what `npm run web:build` writes) into a temporary directory; needs
 * no cluster, so it runs while the cluster and the demo pool are set up. */
export async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'strata-web-'));
  await viteBuild({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** Serves a built app with the test's settings (`strata-web.json`); `close` also
 * removes the build. */
export async function serveApp(outDir: string, file: WebFile): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({
    configFile: join(WEB, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { port: await freePort(), strictPort: true, host: '127.0.0.1' },
    plugins: [webFilePlugin(file)],
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server has no URL');
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

let walletBundle: string | undefined;

/** The test wallet as one browser script. */
export async function testWalletScript(): Promise<string> {
  if (!walletBundle) {
    const result = await esbuild({
      entryPoints: [fileURLToPath(new URL('./wallet/test-wallet.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'warning',
    });
    walletBundle = result.outputFiles[0]!.text;
  }
  return walletBundle;
}

export type Browser = { context: BrowserContext; close(): Promise<void>; errors: string[] };

/** Chromium with a fresh profile; pages log their errors into `errors`. */
export async function startBrowser(): Promise<Browser> {
  // A clear failure rather than playwright's: these tests need the system Chromium.
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  const profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const errors: string[] = [];
  context.on('page', (page) => watchErrors(page, errors));
  return {
    context,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function watchErrors(page: Page, errors: string[]) {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
}

/** A page with the test wallet (signing with `secretKey`) registered before load. */
export async function pageWithWallet(browser: Browser, settings: { secretKey: Uint8Array; rpcUrl: string; name?: string }): Promise<Page> {
  const page = await browser.context.newPage();
  watchErrors(page, browser.errors);
  const config = { secretKey: [...settings.secretKey], rpcUrl: settings.rpcUrl, name: settings.name ?? 'Strata Test Wallet', signed: 0 };
  await page.addInitScript({ content: `window.__strataTestWallet = ${JSON.stringify(config)};\n${await testWalletScript()}` });
  return page;
}

/** Writes a screenshot artifact; returns its path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
