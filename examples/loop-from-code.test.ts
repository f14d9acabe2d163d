import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from './loop-from-code.js';

it('runs the loop from code and judges calibration on held-out items', async () => {
  const r = await main();
  expect(Object.keys(r.scores).sort()).toEqual(['ethics', 'truthfulness']);
  for (const s of Object.values(r.scores)) if (s) expect(s[0]).toBeLessThanOrEqual(s[1]!);
  expect(existsSync(r.report)).toBe(true);
  // A constant 0.95 confidence on items mostly wrong: Platt and isotonic lower held-out ECE with a CI below zero;
  // temperature scaling cannot be fitted to a constant confidence, so it is not offered.
  expect(r.verdicts).toEqual({ platt: 'helped', isotonic: 'helped' });
});
