import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'core', include: ['src/**/*.test.ts'] },
});
