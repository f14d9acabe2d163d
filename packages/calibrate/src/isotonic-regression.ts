/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step function of confidence that minimises the
 * squared error to the outcomes.
 */
import { InputError } from '@trustbench/core';
import type { Calibrator } from './calibrator.js';

/**
 * The isotonic calibrator for fitted blocks: a confidence c maps to the value of the last block whose lower threshold
 * is <= c (below the first threshold: the first block's value).
 */
export function isotonicCalibrator(thresholds: readonly number[], values: readonly number[]): Calibrator {
  return {
    method: 'isotonic',
    params: { method: 'isotonic', thresholds: [...thresholds], values: [...values] },
    apply: (cs) => cs.map((c) => {
      let lo = 0;
      let hi = thresholds.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((thresholds[mid] as number) <= c) lo = mid;
        else hi = mid - 1;
      }
      return values[lo] as number;
    }),
  };
}

/**
 * Fits by PAV: sort by confidence (ties pooled), merge adjacent blocks while a block's mean exceeds the next one's.
 *
 * @throws {InputError} for empty input or different lengths.
 * @example
 * fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]).params // thresholds [0.1, 0.2, 0.4], values [0, 0.5, 1]
 */
export function fitIsotonic(confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): Calibrator {
  if (confidences.length === 0 || confidences.length !== correct.length) throw new InputError(`fitIsotonic: needs as many labels as confidences (> 0), got ${confidences.length} and ${correct.length}`);
  const order = Array.from(confidences.keys()).sort((a, b) => (confidences[a] as number) - (confidences[b] as number));
  const blocks: { start: number; sum: number; n: number }[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const c = confidences[i] as number;
    const y = correct[i] ? 1 : 0;
    const last = blocks.at(-1);
    if (last && confidences[order[k - 1] as number] === c) {
      last.sum += y;
      last.n += 1;
    } else blocks.push({ start: c, sum: y, n: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as { start: number; sum: number; n: number };
      const a = blocks[blocks.length - 2] as { start: number; sum: number; n: number };
      if (a.sum / a.n <= b.sum / b.n) break;
      a.sum += b.sum;
      a.n += b.n;
      blocks.pop();
    }
  }
  return isotonicCalibrator(blocks.map((b) => b.start), blocks.map((b) => b.sum / b.n));
}
