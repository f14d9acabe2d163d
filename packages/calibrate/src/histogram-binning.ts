/**
 * Histogram binning: uniform bins over [0, 1]; a confidence maps to the accuracy its bin had on the fit split
 * (an empty bin leaves the confidence unchanged).
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';

/** The histogram calibrator for fitted bin accuracies (`null` for a bin empty at fit time). */
export function histogramCalibrator(accuracies: readonly (number | null)[]): Calibrator {
  const M = accuracies.length;
  return {
    method: 'histogram',
    params: { method: 'histogram', bins: M, accuracies: [...accuracies] },
    apply: (cs) => cs.map((c) => accuracies[Math.min(Math.floor(c * M), M - 1)] ?? c),
  };
}

/**
 * Fits per-bin accuracies with bin = min(floor(c M), M - 1).
 *
 * @example
 * fitHistogramBinning([0.1, 0.15, 0.9], [0, 1, 1], { bins: 2 }).apply([0.2, 0.7]) // [0.5, 1]
 */
export function fitHistogramBinning(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[], options: { readonly bins?: number } = {}): Calibrator {
  const M = options.bins ?? 10;
  if (confidences.length === 0 || confidences.length !== correct.length) throw new InputError(`fitHistogramBinning: needs as many labels as confidences (> 0), got ${confidences.length} and ${correct.length}`);
  const n = new Array<number>(M).fill(0);
  const s = new Array<number>(M).fill(0);
  confidences.forEach((c, i) => {
    const b = Math.min(Math.floor(c * M), M - 1);
    n[b] = (n[b] as number) + 1;
    s[b] = (s[b] as number) + (correct[i] ? 1 : 0);
  });
  return histogramCalibrator(n.map((k, b) => (k > 0 ? (s[b] as number) / k : null)));
}
