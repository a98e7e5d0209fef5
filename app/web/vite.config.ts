// The web app's build: React through esbuild's automatic JSX runtime (no plugin
// needed), the client consumed as TypeScript sources under the `@strata/client` alias.
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: { '@strata/client': fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
  },
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1_500,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
