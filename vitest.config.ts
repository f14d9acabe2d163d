import { defineConfig } from 'vitest/config';

// One vitest run over every package and the examples; each project resolves sibling packages from source
// through the "@trustbench/source" export condition, so tests never wait for a build.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
