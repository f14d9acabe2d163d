/**
 * Judging a calibrator on data it was not fitted on: ECE, Brier and NLL before and after, each with a bootstrap CI,
 * and the paired difference; plus cross-validated fitting for small data.
 */
import { createRandom, InputError } from '@trustbench/core';
import { bootstrapCI, expectedCalibrationError, pairedBootstrap, type BootstrapInterval } from '@trustbench/metrics';
import type { Calibrator } from './calibrator.js';
import { checkFitSplit, type BinaryLabel } from './internal/validate.js';

/** Confidences are clipped to [1e-12, 1 - 1e-12] in the log loss, so one confident error costs at most 27.6 nats. */
const CLIP = 1e-12;

const itemNll = (c: number, y: number): number => -Math.log(Math.min(Math.max(y ? c : 1 - c, CLIP), 1 - CLIP));

/**
 * Binary negative log-likelihood: -(1/N) sum_i [y_i log c_i + (1 - y_i) log(1 - c_i)], confidences clipped to
 * [1e-12, 1 - 1e-12]. `higherIsBetter: false`.
 *
 * @param confidences Confidences in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @returns The mean log loss in nats.
 * @throws {InputError} for empty input, different lengths, NaN or out-of-range confidences, or bad labels.
 * @example
 * binaryNll([0.8, 0.4], [1, 0]) // -(log 0.8 + log 0.6) / 2 = 0.367
 */
export function binaryNll(confidences: readonly number[], correct: readonly BinaryLabel[]): number {
  const y = checkFitSplit('binaryNll', confidences, correct);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += itemNll(confidences[i] as number, y[i] as number);
  return s / y.length;
}

/** One metric before and after calibration, with intervals. */
export interface CalibrationComparison {
  readonly before: BootstrapInterval;
  readonly after: BootstrapInterval;
  /** after - before (negative is an improvement for all three metrics). */
  readonly difference: BootstrapInterval;
}

/** What {@link evaluateCalibrator} reports. */
export interface CalibrationEvaluation {
  readonly method: string;
  /** Held-out items. */
  readonly n: number;
  readonly ece: CalibrationComparison;
  readonly brier: CalibrationComparison;
  readonly nll: CalibrationComparison;
}

/**
 * Evaluates a calibrator on a held-out split (data it was not fitted on). ECE (uniform bins) is not a mean of per-item
 * values, so its intervals resample item indices and recompute it; Brier and NLL use per-item losses, and all three
 * differences are paired (the same resampled items before and after). Every interval uses the same seed.
 *
 * @param calibrator A fitted calibrator.
 * @param confidences Held-out raw confidences in [0, 1].
 * @param correct Whether each held-out answer was right.
 * @param options `seed` (default 0), bootstrap `iterations` (default 1000), ECE `bins` (default 10).
 * @returns ECE, Brier and NLL before, after, and after - before, each with a percentile interval.
 * @throws {InputError} for empty input, different lengths, NaN or out-of-range confidences, or bad labels.
 * @example
 * const report = evaluateCalibrator(fitTemperatureCalibrator(fit.c, fit.y), heldOut.c, heldOut.y, { seed: 1 });
 */
export function evaluateCalibrator(
  calibrator: Calibrator, confidences: readonly number[], correct: readonly BinaryLabel[],
  options: { readonly seed?: number; readonly iterations?: number; readonly bins?: number } = {},
): CalibrationEvaluation {
  const y = checkFitSplit('evaluateCalibrator', confidences, correct);
  const after = calibrator.apply(confidences);
  const boot = { seed: options.seed ?? 0, iterations: options.iterations ?? 1000 };
  const idx = confidences.map((_, i) => i);
  const eceOf = (cs: readonly number[]) => (sample: Float64Array) =>
    expectedCalibrationError(Array.from(sample, (i) => cs[i] as number), Array.from(sample, (i) => y[i] as 0 | 1), { bins: options.bins ?? 10 });
  const perItem = (cs: readonly number[], loss: (c: number, t: number) => number) => cs.map((c, i) => loss(c, y[i] as number));
  const sq = (c: number, t: number) => (c - t) ** 2;
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
    nll: compare(perItem(confidences, itemNll), perItem(after, itemNll)),
  };
}

/**
 * K-fold cross-validated calibration: items are shuffled with a seeded generator and dealt into K folds (sizes differ
 * by at most one); each item's calibrated confidence comes from a calibrator fitted on the other K - 1 folds, so small
 * data can be calibrated and evaluated without leakage.
 *
 * @param fit A fitting function, e.g. `fitPlatt` or `(c, y) => fitHistogramBinning(c, y, { bins: 5 })`.
 * @param confidences Raw confidences in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @param options `folds` K (an integer in [2, N], default 5) and `seed` (default 0).
 * @returns Out-of-fold calibrated confidences in input order, and the K calibrators (calibrator f never saw fold f).
 * @throws {InputError} for empty input, different lengths, bad confidences or labels, or a bad number of folds.
 * @example
 * const { calibrated } = crossValidateCalibration(fitPlatt, c, y, { folds: 5, seed: 1 });
 */
export function crossValidateCalibration(
  fit: (confidences: readonly number[], correct: readonly BinaryLabel[]) => Calibrator,
  confidences: readonly number[], correct: readonly BinaryLabel[], options: { readonly folds?: number; readonly seed?: number } = {},
): { calibrated: number[]; calibrators: Calibrator[] } {
  const y = checkFitSplit('crossValidateCalibration', confidences, correct);
  const K = options.folds ?? 5;
  if (!Number.isInteger(K) || K < 2 || K > confidences.length) throw new InputError(`crossValidateCalibration: options.folds must be an integer in [2, ${confidences.length}], got ${K}`);
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
    const cal = fit(train.map((i) => confidences[i] as number), train.map((i) => y[i] as 0 | 1));
    calibrators.push(cal);
    const test = order.filter((i) => fold[i] === f);
    cal.apply(test.map((i) => confidences[i] as number)).forEach((p, k) => (calibrated[test[k] as number] = p));
  }
  return { calibrated, calibrators };
}
