/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step function of confidence that minimises the
 * squared error to the outcomes.
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';
import { checkConfidences, checkFitSplit, type BinaryLabel } from './internal/validate.js';

/**
 * The isotonic calibrator for fitted blocks: a confidence c maps to the value of the last block whose lower threshold
 * is <= c (below the first threshold: the first block's value). A step function, constant between the confidences seen
 * at fit time (scikit-learn's `IsotonicRegression` interpolates linearly between block points instead; a step keeps
 * every output an observed accuracy).
 *
 * @param thresholds Ascending lower bounds of the blocks, in [0, 1].
 * @param values Non-decreasing block accuracies in [0, 1], one per threshold.
 * @returns The calibrator; `apply` throws on a confidence outside [0, 1] or NaN.
 * @throws {InputError} when the arrays are empty or differ in length, thresholds are not strictly ascending in [0, 1],
 *   or values are not non-decreasing in [0, 1].
 * @example
 * isotonicCalibrator([0.1, 0.2, 0.4], [0, 0.5, 1]).apply([0.05, 0.3, 0.9]) // [0, 0.5, 1]
 */
export function isotonicCalibrator(thresholds: readonly number[], values: readonly number[]): Calibrator {
  if (thresholds.length === 0 || thresholds.length !== values.length) throw new InputError(`isotonicCalibrator: thresholds and values must be non-empty and of equal length, got ${thresholds.length} and ${values.length}`);
  thresholds.forEach((x, i) => {
    if (!(x >= 0 && x <= 1) || (i > 0 && !(x > (thresholds[i - 1] as number)))) throw new InputError(`isotonicCalibrator: thresholds must be strictly ascending in [0, 1], got thresholds[${i}] = ${x} after ${thresholds[i - 1]}`);
  });
  values.forEach((v, i) => {
    if (!(v >= 0 && v <= 1) || (i > 0 && v < (values[i - 1] as number))) throw new InputError(`isotonicCalibrator: values must be non-decreasing in [0, 1], got values[${i}] = ${v} after ${values[i - 1]}`);
  });
  return {
    method: 'isotonic',
    params: { method: 'isotonic', thresholds: [...thresholds], values: [...values] },
    apply: (cs) => {
      checkConfidences('isotonicCalibrator.apply', cs);
      return cs.map((c) => {
        let lo = 0;
        let hi = thresholds.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((thresholds[mid] as number) <= c) lo = mid;
          else hi = mid - 1;
        }
        return values[lo] as number;
      });
    },
  };
}

/** A run of items pooled to one value: its lowest confidence, sum of outcomes and size. */
interface Block {
  start: number;
  sum: number;
  n: number;
}

/**
 * Fits by PAV: sort by confidence (tied confidences pooled into one block first), then merge adjacent blocks while a
 * block's mean exceeds the next one's. The result is the least-squares non-decreasing fit, equal to
 * f(i) = max_{j <= i} min_{k >= i} mean(y_j..y_k) over the distinct confidences.
 *
 * @param confidences Confidences in [0, 1] on the fit split.
 * @param correct Whether each answer was right, same length.
 * @returns The fitted calibrator.
 * @throws {InputError} for empty input, different lengths, NaN or out-of-range confidences, or bad labels.
 * @example
 * fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]).params // thresholds [0.1, 0.2, 0.4], values [0, 0.5, 1]
 */
export function fitIsotonic(confidences: readonly number[], correct: readonly BinaryLabel[]): Calibrator {
  const y = checkFitSplit('fitIsotonic', confidences, correct);
  const order = Array.from(confidences.keys()).sort((a, b) => (confidences[a] as number) - (confidences[b] as number));
  // Tied confidences must be pooled completely before any merging: merging on the first of several tied items would
  // decide a violation on a partial mean.
  const groups: Block[] = [];
  for (const i of order) {
    const c = confidences[i] as number;
    const last = groups.at(-1);
    if (last && last.start === c) {
      last.sum += y[i] as number;
      last.n += 1;
    } else groups.push({ start: c, sum: y[i] as number, n: 1 });
  }
  const blocks: Block[] = [];
  for (const g of groups) {
    blocks.push({ ...g });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as Block;
      const a = blocks[blocks.length - 2] as Block;
      if (a.sum / a.n <= b.sum / b.n) break;
      a.sum += b.sum;
      a.n += b.n;
      blocks.pop();
    }
  }
  return isotonicCalibrator(blocks.map((b) => b.start), blocks.map((b) => b.sum / b.n));
}
