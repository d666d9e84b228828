import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The web build first (browser tests load it), then the run's database.
    globalSetup: ['test/support/build-web.ts', 'test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests share one database server; files run in parallel in forks.
    pool: 'forks',
    maxWorkers: 4,
  },
});
