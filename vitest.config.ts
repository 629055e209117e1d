import { defineConfig } from 'vitest/config';

// Two cores: keep lab servers and Chromium from starving each other. The browser tests (each
// with a Chromium and a server of its own) run after the rest, one file at a time, so the
// timing-sensitive checks of the lab never share the machine with a browser.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
