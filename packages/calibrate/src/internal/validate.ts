/**
 * Input checks shared by the calibrators: a calibrator fitted or applied on NaN or out-of-range confidences would
 * produce plausible numbers from garbage, so every entry point checks and names the argument, expected and actual.
 */
import { InputError } from '@trustbench/core';

/** Binary labels: 0/1 or booleans. */
export type BinaryLabel = 0 | 1 | boolean;

/** Checks confidences: numbers in [0, 1], none NaN. Empty is allowed (applying to nothing gives nothing). */
export function checkConfidences(name: string, confidences: readonly number[]): void {
  for (let i = 0; i < confidences.length; i++) {
    const c = confidences[i];
    if (typeof c !== 'number' || !(c >= 0 && c <= 1)) throw new InputError(`${name}: confidences[${i}] must be a number in [0, 1], got ${String(c)}`);
  }
}

/** Checks a fit split: non-empty, same lengths, confidences in [0, 1], labels 0/1/boolean; returns the labels as 0/1. */
export function checkFitSplit(name: string, confidences: readonly number[], correct: readonly BinaryLabel[]): Uint8Array {
  if (confidences.length !== correct.length) throw new InputError(`${name}: confidences has ${confidences.length} items, correct has ${correct.length}; they must be the same length`);
  if (confidences.length === 0) throw new InputError(`${name}: empty input; there is nothing to fit`);
  checkConfidences(name, confidences);
  return Uint8Array.from(correct, (y, i) => {
    if (y === true || y === 1) return 1;
    if (y === false || y === 0) return 0;
    throw new InputError(`${name}: correct[${i}] must be 0, 1, true or false, got ${JSON.stringify(y)}`);
  });
}

/** Checks a finite number parameter. */
export function checkFinite(name: string, field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${name}: ${field} must be a finite number, got ${String(value)}`);
}

/** logit(c) with c clipped to [1e-12, 1 - 1e-12], so confidences of exactly 0 or 1 map to finite scores (+-27.6). */
export function clippedLogit(c: number): number {
  const p = Math.min(Math.max(c, 1e-12), 1 - 1e-12);
  return Math.log(p / (1 - p));
}
