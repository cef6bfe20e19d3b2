import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests run whole experiments on the simulated chip; shared machines are loaded, so allow time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
