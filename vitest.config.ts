import { defineConfig } from 'vitest/config';

// One vitest run over every package and the examples; each project resolves sibling packages from source
// through the "@trustbench/source" export condition, so tests never wait for a build. Projects do not inherit these
// options: each package's vitest.config.ts sets its own testTimeout (model-backed tests run slowly on a busy 2-core machine).
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
