import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The user-level config and trust store of the person running the tests must not leak in: every
// test run gets empty XDG directories of its own.
const xdg = path.join(os.tmpdir(), `agent-os-vitest-xdg-${process.pid}`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: keep parallel forks at two so heavy tests (LanceDB, child servers) do not starve.
    maxWorkers: 2,
    env: { LANCEDB_LOG: 'error', XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_STATE_HOME: path.join(xdg, 'state') },
  },
});
