import { defineConfig } from 'vitest/config';

// The RFC conformance suites: whole published test suites, run on their own with `npm run conformance`.
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
