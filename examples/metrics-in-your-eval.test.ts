import { expect, it } from 'vitest';
import { main } from './metrics-in-your-eval.js';

it('scores the example run with intervals and a paired test', () => {
  const r = main();
  expect(r.accuracy).toBeCloseTo(7 / 12, 12);
  expect(r.accuracyCI[0]).toBeLessThan(r.accuracy);
  expect(r.accuracyCI[1]).toBeGreaterThan(r.accuracy);
  // 5 uniform bins: every confidence is >= 0.8, so one bin holds all 12 items; mean confidence 10.86 / 12 = 0.905
  // against accuracy 7/12: ECE = 0.905 - 7/12 = 0.3217
  expect(r.ece).toBeCloseTo(10.86 / 12 - 7 / 12, 12);
  expect(r.eceCI[0]).toBeGreaterThan(0); // the miscalibration is there even at the low end of the interval
  expect(r.eceCI[1]).toBeGreaterThan(r.ece);
  expect(r.improvement).toBeCloseTo(4 / 12, 12); // 4 items flip wrong -> right, none the other way
  expect(r.improvementCI[0]).toBeGreaterThan(0);
  expect(r.mcnemarP).toBeCloseTo(0.125, 12); // b = 0, c = 4: 2 * 0.5^4
});
