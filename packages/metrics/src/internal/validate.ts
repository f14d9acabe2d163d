/**
 * Input checks shared by the metrics: every metric names itself, the offending argument, the expected and the actual
 * value, so a bad input fails loudly instead of producing a plausible-looking number.
 */
import { InputError } from '@trustbench/core';

/** Binary labels: 0/1 or booleans. */
export type BinaryLabel = 0 | 1 | boolean;

/** Correctness labels as numbers 0/1. */
export function toBinary(metric: string, correct: readonly BinaryLabel[], name = 'correct'): Uint8Array {
  return Uint8Array.from(correct, (y, i) => {
    if (y === true || y === 1) return 1;
    if (y === false || y === 0) return 0;
    throw new InputError(`${metric}: ${name}[${i}] must be 0, 1, true or false, got ${JSON.stringify(y)}`);
  });
}

/** Checks two arrays have the same length. */
export function checkSameLength(metric: string, a: string, aLength: number, b: string, bLength: number): void {
  if (aLength !== bLength) throw new InputError(`${metric}: ${a} has ${aLength} items, ${b} has ${bLength}; they must be the same length`);
}

/** Checks confidences in [0, 1], no NaN, same length as the labels, not empty. */
export function checkBinary(metric: string, confidences: readonly number[], correct: readonly BinaryLabel[]): Uint8Array {
  checkSameLength(metric, 'confidences', confidences.length, 'correct', correct.length);
  if (confidences.length === 0) throw new InputError(`${metric}: empty input; there is nothing to measure`);
  for (let i = 0; i < confidences.length; i++) {
    const c = confidences[i];
    if (typeof c !== 'number' || Number.isNaN(c)) throw new InputError(`${metric}: confidences[${i}] must be a number in [0, 1], got ${String(c)}`);
    if (c < 0 || c > 1) throw new InputError(`${metric}: confidences[${i}] must be in [0, 1], got ${c}`);
  }
  return toBinary(metric, correct);
}

/** Checks a finite, non-empty list of numbers. */
export function checkValues(metric: string, name: string, values: readonly number[]): void {
  if (values.length === 0) throw new InputError(`${metric}: ${name} is empty`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(`${metric}: ${name}[${i}] must be a finite number, got ${String(values[i])}`);
  }
}

/** Checks a positive integer option. */
export function checkPositiveInteger(metric: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new InputError(`${metric}: ${name} must be a positive integer, got ${String(value)}`);
}

/** Checks a rate in [0, 1]. */
export function checkUnit(metric: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new InputError(`${metric}: ${name} must be in [0, 1], got ${String(value)}`);
}

/** Checks a probability strictly inside (0, 1) (alpha, power). */
export function checkOpenUnit(metric: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new InputError(`${metric}: ${name} must be in (0, 1), got ${String(value)}`);
}
