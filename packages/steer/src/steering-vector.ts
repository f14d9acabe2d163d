/**
 * Steering vectors: a direction in one layer's residual stream, with where it came from.
 */
import { InputError, type Intervention, type LayerType, type PositionSelector } from '@trustbench/core';

/** A direction read from a model, with provenance. */
export interface SteeringVector {
  /** Model the vector was read from. */
  readonly modelId: string;
  /** Layer whose `hook_resid_post` the vector lives in. */
  readonly layer: number;
  /** Type of that layer's mixer. */
  readonly layerType: LayerType;
  /** How it was read, e.g. `"mean_difference"` or `"pca"`. */
  readonly method: string;
  /** The concept, e.g. `"refusal"`. */
  readonly concept: string;
  readonly vector: Float32Array;
}

/**
 * The interventions that steer with a vector: `resid_post <- resid_post + alpha * v` at its layer.
 *
 * @throws {InputError} when alpha is not finite.
 * @example
 * model.withInterventions(steeringInterventions(vec, -4, 'all'))
 */
export function steeringInterventions(vector: SteeringVector, alpha: number, positions: PositionSelector = 'all'): Intervention[] {
  if (!Number.isFinite(alpha)) throw new InputError(`steering alpha must be a finite number, got ${alpha}`);
  return [{ kind: 'add', hook: `blocks.${vector.layer}.hook_resid_post`, vector: vector.vector, alpha, positions }];
}
