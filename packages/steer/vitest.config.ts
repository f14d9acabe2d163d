import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trustbench/source'] },
  // The planted sweeps and tiny-model runs take 1-3 s alone; the shared 2-core machine can make that 5x slower.
  test: { name: 'steer', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
