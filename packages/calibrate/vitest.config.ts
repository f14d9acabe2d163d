import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  test: { name: 'calibrate', include: ['src/**/*.test.ts'] },
});
