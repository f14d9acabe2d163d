import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'examples', testTimeout: 120_000, include: ['**/*.test.ts'], exclude: ['node_modules/**'] },
});
