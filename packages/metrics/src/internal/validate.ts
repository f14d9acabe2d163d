/**
 * Input checks shared by the metrics: every metric names itself and the offending argument.
 */
import { InputError } from '@trustbench/core';

/** Correctness labels as numbers 0/1. */
export function toBinary(metric: string, correct: readonly (0 | 1 | boolean)[]): Uint8Array {
  return Uint8Array.from(correct, (y, i) => {
    if (y === true || y === 1) return 1;
    if (y === false || y === 0) return 0;
    throw new InputError(`${metric}: correct[${i}] must be 0, 1, true or false, got ${JSON.stringify(y)}`);
  });
}

/** Checks confidences in [0, 1], no NaN, same length as the labels, not empty. */
export function checkBinary(metric: string, confidences: readonly number[], correct: readonly (0 | 1 | boolean)[]): Uint8Array {
  if (confidences.length !== correct.length) throw new InputError(`${metric}: confidences has ${confidences.length} items, correct has ${correct.length}; they must be the same length`);
  if (confidences.length === 0) throw new InputError(`${metric}: empty input; there is nothing to measure`);
  confidences.forEach((c, i) => {
    if (Number.isNaN(c)) throw new InputError(`${metric}: confidences[${i}] is NaN`);
    if (c < 0 || c > 1) throw new InputError(`${metric}: confidences[${i}] must be in [0, 1], got ${c}`);
  });
  return toBinary(metric, correct);
}

/** Checks a finite, non-empty list of numbers. */
export function checkValues(metric: string, name: string, values: readonly number[]): void {
  if (values.length === 0) throw new InputError(`${metric}: ${name} is empty`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InputError(`${metric}: ${name}[${i}] must be a finite number, got ${v}`);
  });
}
