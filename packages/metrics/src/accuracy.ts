/**
 * Accuracy of predictions against gold labels.
 */
import { InputError } from '@trustbench/core';

/**
 * Fraction of predictions equal to their gold label.
 *
 * accuracy = (1 / N) * sum_i 1[prediction_i === gold_i]
 *
 * Higher is better. Empty input has no accuracy and throws.
 *
 * @param predictions Predicted labels.
 * @param gold Gold labels, same length.
 * @returns A number in [0, 1].
 * @throws {InputError} on empty input or different lengths.
 * @example
 * accuracy(['a', 'b', 'a'], ['a', 'a', 'a']) // 2/3
 */
export function accuracy<T>(predictions: readonly T[], gold: readonly T[]): number {
  if (predictions.length !== gold.length) {
    throw new InputError(`accuracy: predictions has ${predictions.length} items, gold has ${gold.length}; they must be the same length`);
  }
  if (predictions.length === 0) throw new InputError('accuracy: empty input has no accuracy');
  let hits = 0;
  for (let i = 0; i < gold.length; i++) if (predictions[i] === gold[i]) hits++;
  return hits / gold.length;
}
