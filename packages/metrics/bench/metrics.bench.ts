/**
 * Timings on 100k items: ECE, AUROC, AUPRC, AURC, and a 1,000-resample bootstrap (plain and clustered in pairs).
 * Run with `npm run bench -w @trustbench/metrics`.
 */
import { createRandom } from '@trustbench/core';
import { bench, describe } from 'vitest';
import { aurc, auprc, auroc, bootstrapCI, brierScore, expectedCalibrationError } from '../src/index.js';

const r = createRandom(1);
const confidences = Array.from({ length: 100_000 }, () => r.next());
const correct = confidences.map((c) => (r.next() < c ? 1 : 0) as 0 | 1);
const pairs = correct.map((_, i) => Math.floor(i / 2));
/** A fixed number of timed runs after one warm-up run, so the whole bench takes seconds, not minutes. */
const runs = (iterations: number) => ({ iterations, time: 0, warmupIterations: 1, warmupTime: 0 });

describe('100k items', () => {
  bench('expectedCalibrationError (uniform, 10 bins)', () => void expectedCalibrationError(confidences, correct), runs(20));
  bench('expectedCalibrationError (quantile, 10 bins)', () => void expectedCalibrationError(confidences, correct, { strategy: 'quantile' }), runs(10));
  bench('brierScore', () => void brierScore(confidences, correct), runs(20));
  bench('auroc', () => void auroc(confidences, correct), runs(10));
  bench('auprc', () => void auprc(confidences, correct), runs(10));
  bench('aurc', () => void aurc(confidences, correct), runs(10));
  bench('bootstrapCI mean, 1000 resamples', () => void bootstrapCI(correct, 'mean', runs(1000)), runs(2));
  bench('bootstrapCI mean, 1000 resamples, clustered in pairs', () => void bootstrapCI(correct, 'mean', { iterations: 1000, clusters: pairs }), runs(1));
});
