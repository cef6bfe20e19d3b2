import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The chip-level tests calibrate a whole simulated chip; shared machines are loaded, so allow time.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
