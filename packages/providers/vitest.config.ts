import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'providers', include: ['src/**/*.test.ts'] },
});
