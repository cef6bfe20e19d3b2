import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests run 1000 cases each; CI machines are shared and loaded, so allow generous time.
    testTimeout: 60_000,
  },
});
