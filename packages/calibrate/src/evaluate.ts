/**
 * Judging a calibrator on data it was not fitted on: ECE, Brier and NLL before and after, each with a bootstrap CI,
 * and the paired difference; plus cross-validated fitting for small data.
 */
import { createRandom, InputError } from '@trustbench/core';
import { bootstrapCI, expectedCalibrationError, pairedBootstrap, type BootstrapInterval } from '@trustbench/metrics';
import type { Calibrator } from './calibrator.js';

/** Binary negative log-likelihood, confidences clipped to [1e-12, 1 - 1e-12]. */
export function binaryNll(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): number {
  let s = 0;
  confidences.forEach((c, i) => {
    const p = Math.min(Math.max(c, 1e-12), 1 - 1e-12);
    s -= correct[i] ? Math.log(p) : Math.log(1 - p);
  });
  return s / confidences.length;
}

/** One metric before and after calibration, with intervals. */
export interface CalibrationComparison {
  readonly before: BootstrapInterval;
  readonly after: BootstrapInterval;
  /** after - before (negative is an improvement for all three metrics). */
  readonly difference: BootstrapInterval;
}

/**
 * Evaluates a calibrator on a held-out split. ECE intervals resample items (ECE is not a mean of per-item values);
 * Brier and NLL use the per-item losses, and their differences are paired.
 *
 * @example
 * const report = evaluateCalibrator(fitTemperatureCalibrator(fit.c, fit.y), heldOut.c, heldOut.y, { seed: 1 });
 */
export function evaluateCalibrator(
  calibrator: Calibrator, confidences: readonly number[], correct: readonly (0 | 1 | boolean)[],
  options: { readonly seed?: number; readonly iterations?: number; readonly bins?: number } = {},
): { method: string; n: number; ece: CalibrationComparison; brier: CalibrationComparison; nll: CalibrationComparison } {
  if (confidences.length === 0 || confidences.length !== correct.length) throw new InputError(`evaluateCalibrator: needs as many labels as confidences (> 0), got ${confidences.length} and ${correct.length}`);
  const after = calibrator.apply(confidences);
  const y = correct.map((v) => (v ? 1 : 0) as 0 | 1);
  const boot = { seed: options.seed ?? 0, iterations: options.iterations ?? 1000 };
  const idx = confidences.map((_, i) => i);
  const eceOf = (cs: readonly number[]) => (sample: Float64Array) => {
    const sc = Array.from(sample, (i) => cs[i] as number);
    return expectedCalibrationError(sc, Array.from(sample, (i) => y[i] as 0 | 1), { bins: options.bins ?? 10 });
  };
  const perItem = (cs: readonly number[], loss: (c: number, t: number) => number) => cs.map((c, i) => loss(c, y[i] as number));
  const sq = (c: number, t: number) => (c - t) ** 2;
  const nll = (c: number, t: number) => -Math.log(Math.min(Math.max(t ? c : 1 - c, 1e-12), 1));
  const compare = (lossBefore: number[], lossAfter: number[]): CalibrationComparison => ({
    before: bootstrapCI(lossBefore, 'mean', boot),
    after: bootstrapCI(lossAfter, 'mean', boot),
    difference: pairedBootstrap(lossBefore, lossAfter, 'mean', boot),
  });
  return {
    method: calibrator.method,
    n: confidences.length,
    ece: {
      before: bootstrapCI(idx, eceOf(confidences), boot),
      after: bootstrapCI(idx, eceOf(after), boot),
      difference: bootstrapCI(idx, (s) => eceOf(after)(s) - eceOf(confidences)(s), boot),
    },
    brier: compare(perItem(confidences, sq), perItem(after, sq)),
    nll: compare(perItem(confidences, nll), perItem(after, nll)),
  };
}

/**
 * K-fold cross-validated calibration: each item's calibrated confidence comes from a calibrator fitted on the other
 * folds (seeded fold assignment), so small data can be calibrated and evaluated without leakage.
 *
 * @example
 * const { calibrated } = crossValidateCalibration(fitPlatt, c, y, { folds: 5, seed: 1 });
 */
export function crossValidateCalibration(
  fit: (confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]) => Calibrator,
  confidences: readonly number[], correct: readonly (0 | 1 | boolean)[], options: { readonly folds?: number; readonly seed?: number } = {},
): { calibrated: number[]; calibrators: Calibrator[] } {
  const K = options.folds ?? 5;
  if (!Number.isInteger(K) || K < 2 || K > confidences.length) throw new InputError(`crossValidateCalibration: folds must be an integer in [2, ${confidences.length}], got ${K}`);
  const random = createRandom(options.seed ?? 0);
  const order = confidences.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const fold = new Int32Array(confidences.length);
  order.forEach((item, k) => (fold[item] = k % K));
  const calibrated = new Array<number>(confidences.length);
  const calibrators: Calibrator[] = [];
  for (let f = 0; f < K; f++) {
    const train = order.filter((i) => fold[i] !== f);
    const cal = fit(train.map((i) => confidences[i] as number), train.map((i) => correct[i] as 0 | 1));
    calibrators.push(cal);
    const test = order.filter((i) => fold[i] === f);
    cal.apply(test.map((i) => confidences[i] as number)).forEach((p, k) => (calibrated[test[k] as number] = p));
  }
  return { calibrated, calibrators };
}

