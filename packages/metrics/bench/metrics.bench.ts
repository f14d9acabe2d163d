/**
 * Timings on 100k items: ECE, AUROC, and a 1,000-resample bootstrap. Run with `npm run bench -w @trustbench/metrics`.
 */
import { createRandom } from '@trustbench/core';
import { bench, describe } from 'vitest';
import { auroc, bootstrapCI, expectedCalibrationError } from '../src/index.js';

const r = createRandom(1);
const confidences = Array.from({ length: 100_000 }, () => r.next());
const correct = confidences.map((c) => (r.next() < c ? 1 : 0) as 0 | 1);

describe('100k items', () => {
  bench('expectedCalibrationError (uniform, 10 bins)', () => void expectedCalibrationError(confidences, correct), { iterations: 20 });
  bench('expectedCalibrationError (quantile, 10 bins)', () => void expectedCalibrationError(confidences, correct, { strategy: 'quantile' }), { iterations: 10 });
  bench('auroc', () => void auroc(confidences, correct), { iterations: 10 });
  bench('bootstrapCI mean, 1000 resamples', () => void bootstrapCI(correct, 'mean', { iterations: 1000 }), { iterations: 2 });
});
