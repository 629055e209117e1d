import { defineConfig } from 'vitest/config';

// Benchmarks print figures; they are not tests and never run in npm test.
export default defineConfig({
  test: {
    include: ['bench/**/*.perf.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
