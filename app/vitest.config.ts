import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The end-to-end tests wait for confirmations, and the local cluster confirms a
    // transaction when its slot closes (up to 400 ms, longer on a loaded machine), as
    // a validator does: a test of ten transactions can pass vitest's default 5 s.
    testTimeout: 30_000,
  },
});
