import { expect, it } from 'vitest';
import { main } from './metrics-in-your-eval.js';

it('scores the example run with intervals and a paired test', () => {
  const r = main();
  expect(r.accuracy).toBeCloseTo(7 / 12, 12);
  expect(r.accuracyCI[0]).toBeLessThan(r.accuracy);
  expect(r.accuracyCI[1]).toBeGreaterThan(r.accuracy);
  expect(r.ece).toBeGreaterThan(0.2); // mean confidence ~0.9 against 58% accuracy
  expect(r.improvement).toBeCloseTo(4 / 12, 12); // 4 items flip wrong -> right, none the other way
  expect(r.improvementCI[0]).toBeGreaterThan(0);
  expect(r.mcnemarP).toBeCloseTo(0.125, 12); // b = 0, c = 4: 2 * 0.5^4
});
