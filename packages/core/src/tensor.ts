/**
 * The one tensor type of the contract: a flat float32 buffer with a row-major shape.
 *
 * `core` carries no tensor library on purpose; engines use their own storage and hand activations
 * across the contract as `Tensor`s.
 */
import { InputError } from './errors.js';

/** A row-major float32 tensor. `data.length` equals the product of `shape`. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Builds a tensor, checking that the buffer holds exactly `prod(shape)` values.
 *
 * @throws {InputError} when the sizes disagree or a dimension is not a non-negative integer.
 * @example
 * const t = tensor(new Float32Array(6), [2, 3]);
 */
export function tensor(data: Float32Array, shape: readonly number[]): Tensor {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new InputError(`tensor shape must hold non-negative integers, got [${shape.join(', ')}]`);
  }
  const size = shapeSize(shape);
  if (data.length !== size) {
    throw new InputError(`tensor of shape [${shape.join(', ')}] needs ${size} values, got ${data.length}`);
  }
  return { data, shape: [...shape] };
}

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
