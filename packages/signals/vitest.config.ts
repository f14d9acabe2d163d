import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'signals', include: ['src/**/*.test.ts'], benchmark: { include: ['bench/**/*.bench.ts'] } },
});
