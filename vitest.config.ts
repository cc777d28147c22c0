import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{sim,runs,strategies,data,reports,scripts}/**/*.test.ts'],
    // Property tests and the in-process EVM are CPU-heavy; two cores in CI.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['scripts/build.test-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
