/**
 * Calibration of binary confidences: reliability bins, expected and maximum calibration error.
 */
import { InputError } from '@trustbench/core';
import { checkBinary, checkPositiveInteger, type BinaryLabel } from './internal/validate.js';

/** How confidences are binned. */
export type BinningStrategy = 'uniform' | 'quantile';

/** Options of the binned calibration metrics. */
export interface BinningOptions {
  /** Number of bins M; default 10. */
  readonly bins?: number;
  /** Default `'uniform'`. */
  readonly strategy?: BinningStrategy;
}

/** One reliability bin. `lower`/`upper` bound its confidences (uniform: the bin edges; quantile: the min and max inside). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

/**
 * Bins confidences and reports count, mean confidence and accuracy per bin (empty bins included, with count 0).
 *
 * - `uniform`: bin = min(floor(c * M), M - 1), so c = 1 falls in the last bin.
 * - `quantile`: equal-count bins over confidences sorted stably (ties keep input order); when N is not a multiple of M
 *   the first N mod M bins get one more item.
 *
 * Empty bins are reported with count 0 and NaN mean confidence and accuracy (and, for quantile bins, NaN bounds: only
 * possible when N < M). A single class is fine: every bin's accuracy is then 0 or 1.
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right (0/1 or boolean), same length.
 * @param options `bins` (M, a positive integer, default 10) and `strategy` (default `'uniform'`).
 * @returns M bins in order of confidence.
 * @throws {InputError} for empty input, NaN, confidences outside [0, 1], labels other than 0/1/boolean, different
 *   lengths, bins not a positive integer, or an unknown strategy.
 * @example
 * reliabilityBins([0.1, 0.9], [0, 1], { bins: 2 }) // two bins of one item each
 */
export function reliabilityBins(confidences: readonly number[], correct: readonly BinaryLabel[], options: BinningOptions = {}): ReliabilityBin[] {
  const y = checkBinary('reliabilityBins', confidences, correct);
  const M = options.bins ?? 10;
  checkPositiveInteger('reliabilityBins', 'options.bins', M);
  const strategy = options.strategy ?? 'uniform';
  if (strategy !== 'uniform' && strategy !== 'quantile') throw new InputError(`reliabilityBins: options.strategy must be 'uniform' or 'quantile', got ${JSON.stringify(strategy)}`);
  const N = confidences.length;
  const binOf = new Int32Array(N);
  if (strategy === 'uniform') {
    for (let i = 0; i < N; i++) binOf[i] = Math.min(Math.floor((confidences[i] as number) * M), M - 1);
  } else {
    const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => (confidences[a] as number) - (confidences[b] as number) || a - b);
    const base = Math.floor(N / M);
    const extra = N % M;
    let pos = 0;
    for (let b = 0; b < M; b++) {
      const size = base + (b < extra ? 1 : 0);
      for (let k = 0; k < size; k++) binOf[order[pos++] as number] = b;
    }
  }
  const count = new Float64Array(M);
  const sumC = new Float64Array(M);
  const sumY = new Float64Array(M);
  const lo = new Float64Array(M).fill(Infinity);
  const hi = new Float64Array(M).fill(-Infinity);
  for (let i = 0; i < N; i++) {
    const b = binOf[i] as number;
    const c = confidences[i] as number;
    count[b] = (count[b] as number) + 1;
    sumC[b] = (sumC[b] as number) + c;
    sumY[b] = (sumY[b] as number) + (y[i] as number);
    lo[b] = Math.min(lo[b] as number, c);
    hi[b] = Math.max(hi[b] as number, c);
  }
  const uniform = strategy === 'uniform';
  return Array.from({ length: M }, (_, b) => {
    const n = count[b] as number;
    return {
      lower: uniform ? b / M : n > 0 ? (lo[b] as number) : Number.NaN,
      upper: uniform ? (b + 1) / M : n > 0 ? (hi[b] as number) : Number.NaN,
      count: n,
      meanConfidence: n > 0 ? (sumC[b] as number) / n : Number.NaN,
      accuracy: n > 0 ? (sumY[b] as number) / n : Number.NaN,
    };
  });
}

/**
 * Expected calibration error: ECE = sum_b (n_b / N) |acc_b - conf_b| over non-empty bins, with the binning of
 * {@link reliabilityBins}. `higherIsBetter: false`; in [0, 1]; 0 for perfectly calibrated bins. A single class is
 * allowed (all right: ECE = 1 - mean confidence).
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @param options `bins` (default 10) and `strategy` (`'uniform'` default, or `'quantile'`).
 * @returns The ECE, in [0, 1].
 * @throws {InputError} as {@link reliabilityBins}: empty input, NaN, out-of-range confidences, bad labels or options.
 * @example
 * expectedCalibrationError([0.9, 0.9, 0.6], [1, 0, 1], { bins: 10 }) // bins 6 and 9: (1/3)|1-0.6| + (2/3)|0.5-0.9| = 0.4
 */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly BinaryLabel[], options: BinningOptions = {}): number {
  const bins = reliabilityBins(confidences, correct, options);
  let ece = 0;
  for (const b of bins) if (b.count > 0) ece += (b.count / confidences.length) * Math.abs(b.accuracy - b.meanConfidence);
  return ece;
}

/**
 * Maximum calibration error: MCE = max_b |acc_b - conf_b| over non-empty bins, same binning as
 * {@link expectedCalibrationError}. `higherIsBetter: false`; in [0, 1].
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @param options `bins` and `strategy`, as for ECE.
 * @returns The MCE, in [0, 1].
 * @throws {InputError} as {@link reliabilityBins}.
 * @example
 * maxCalibrationError([0.9, 0.9, 0.6], [1, 0, 1]) // max(|1-0.6|, |0.5-0.9|) = 0.4
 */
export function maxCalibrationError(confidences: readonly number[], correct: readonly BinaryLabel[], options: BinningOptions = {}): number {
  let mce = 0;
  for (const b of reliabilityBins(confidences, correct, options)) if (b.count > 0) mce = Math.max(mce, Math.abs(b.accuracy - b.meanConfidence));
  return mce;
}

/**
 * Brier score of binary confidences: (1/N) sum_i (c_i - y_i)^2. `higherIsBetter: false`; in [0, 1]. A single class
 * is allowed.
 *
 * @param confidences Confidence of each answer, in [0, 1].
 * @param correct Whether each answer was right, same length.
 * @returns The mean squared error of the confidences.
 * @throws {InputError} for empty input, NaN, confidences outside [0, 1], bad labels, or different lengths.
 * @example
 * brierScore([0.8, 0.3], [1, 0]) // ((0.2)^2 + (0.3)^2) / 2 = 0.065
 */
export function brierScore(confidences: readonly number[], correct: readonly BinaryLabel[]): number {
  const y = checkBinary('brierScore', confidences, correct);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += ((confidences[i] as number) - (y[i] as number)) ** 2;
  return s / y.length;
}
