import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'loop', include: ['src/**/*.test.ts'] },
});
