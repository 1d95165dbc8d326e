import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: keep parallel forks at two so heavy tests (LanceDB, child servers) do not starve.
    maxWorkers: 2,
    env: { LANCEDB_LOG: 'error' },
  },
});
