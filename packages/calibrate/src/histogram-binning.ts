/**
 * Histogram binning: uniform bins over [0, 1]; a confidence maps to the accuracy its bin had on the fit split
 * (an empty bin leaves the confidence unchanged).
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';
import { checkConfidences, checkFitSplit, type BinaryLabel } from './internal/validate.js';

/**
 * The histogram calibrator for fitted bin accuracies: c -> accuracies[min(floor(c M), M - 1)], or c itself where that
 * bin was empty at fit time (`null`).
 *
 * @param accuracies One accuracy in [0, 1] (or `null`) per bin; M = its length.
 * @returns The calibrator; `apply` throws on a confidence outside [0, 1] or NaN.
 * @throws {InputError} for no bins or an accuracy outside [0, 1].
 * @example
 * histogramCalibrator([0.5, null]).apply([0.2, 0.7]) // [0.5, 0.7]
 */
export function histogramCalibrator(accuracies: readonly (number | null)[]): Calibrator {
  const M = accuracies.length;
  if (M === 0) throw new InputError('histogramCalibrator: accuracies is empty; it needs one entry per bin');
  accuracies.forEach((a, b) => {
    if (a !== null && !(typeof a === 'number' && a >= 0 && a <= 1)) throw new InputError(`histogramCalibrator: accuracies[${b}] must be in [0, 1] or null, got ${String(a)}`);
  });
  return {
    method: 'histogram',
    params: { method: 'histogram', bins: M, accuracies: [...accuracies] },
    apply: (cs) => {
      checkConfidences('histogramCalibrator.apply', cs);
      return cs.map((c) => accuracies[Math.min(Math.floor(c * M), M - 1)] ?? c);
    },
  };
}

/**
 * Fits per-bin accuracies with bin = min(floor(c M), M - 1) (the uniform bins of `expectedCalibrationError`):
 * accuracy_b = (right answers in b) / (items in b), `null` for an empty bin.
 *
 * @param confidences Confidences in [0, 1] on the fit split.
 * @param correct Whether each answer was right, same length.
 * @param options `bins` M (a positive integer, default 10).
 * @returns The fitted calibrator.
 * @throws {InputError} for empty input, different lengths, NaN or out-of-range confidences, bad labels, or bins not a
 *   positive integer.
 * @example
 * fitHistogramBinning([0.1, 0.15, 0.9], [0, 1, 1], { bins: 2 }).apply([0.2, 0.7]) // [0.5, 1]
 */
export function fitHistogramBinning(confidences: readonly number[], correct: readonly BinaryLabel[], options: { readonly bins?: number } = {}): Calibrator {
  const M = options.bins ?? 10;
  if (!Number.isInteger(M) || M < 1) throw new InputError(`fitHistogramBinning: options.bins must be a positive integer, got ${M}`);
  const y = checkFitSplit('fitHistogramBinning', confidences, correct);
  const n = new Array<number>(M).fill(0);
  const s = new Array<number>(M).fill(0);
  confidences.forEach((c, i) => {
    const b = Math.min(Math.floor(c * M), M - 1);
    n[b] = (n[b] as number) + 1;
    s[b] = (s[b] as number) + (y[i] as number);
  });
  return histogramCalibrator(n.map((k, b) => (k > 0 ? (s[b] as number) / k : null)));
}
