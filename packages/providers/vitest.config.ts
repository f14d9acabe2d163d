import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'providers', testTimeout: 60_000, include: ['src/**/*.test.ts'], benchmark: { include: ['bench/**/*.bench.ts'] } },
});
