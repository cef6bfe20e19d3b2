import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CI machines are shared and loaded: a wide margin over the few seconds a test takes on an idle machine.
    testTimeout: 60_000,
  },
});
