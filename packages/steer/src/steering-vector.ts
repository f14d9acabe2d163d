/**
 * Steering vectors: a direction in one layer's residual stream, with where it came from, and the declarative
 * interventions that steer a model with it through `withInterventions` (in prefill and at every decode step).
 */
import { InputError, type Intervention, type LayerType, type Phase } from '@trustbench/core';

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

/** Which tokens are steered: the prompt's, the generated ones, or both (`'all'`). */
export type SteeringPositions = 'prompt' | 'generated' | 'all';

/** Where and when a steering edit applies. */
export interface SteeringPlacement {
  /** Default `'all'`. */
  readonly positions?: SteeringPositions;
  /** Default both `prefill` and `decode`. */
  readonly phases?: readonly Phase[];
  /** Layer to steer at; default the vector's own layer (a vector read at one layer may be tried at another). */
  readonly layer?: number;
}

/**
 * The intervention that adds a vector: `resid_post[p] <- resid_post[p] + alpha * v` at the layer, for every selected
 * position p, in prefill and every decode step unless `phases` narrows it.
 *
 * @throws {InputError} when alpha is not finite.
 * @example
 * const steered = model.withInterventions(steeringInterventions(vec, -4, { positions: 'generated' }));
 */
export function steeringInterventions(vector: SteeringVector, alpha: number, placement: SteeringPlacement = {}): Intervention[] {
  if (!Number.isFinite(alpha)) throw new InputError(`steering alpha must be a finite number, got ${alpha}`);
  return [{ kind: 'add', hook: `blocks.${placement.layer ?? vector.layer}.hook_resid_post`, vector: vector.vector, alpha, ...where(placement) }];
}

/**
 * The intervention that removes a vector's direction: `resid_post[p] <- resid_post[p] - (resid_post[p] . u) u` with
 * `u = v / |v|` (directional ablation), at the selected positions and phases.
 *
 * @throws {InputError} when the vector is all zeros (it has no direction).
 * @example
 * const ablated = model.withInterventions(projectOutInterventions(refusalVector));
 */
export function projectOutInterventions(vector: SteeringVector, placement: SteeringPlacement = {}): Intervention[] {
  if (!vector.vector.some((x) => x !== 0)) throw new InputError(`project_out: the ${vector.concept} vector at layer ${vector.layer} is all zeros`);
  return [{ kind: 'project_out', hook: `blocks.${placement.layer ?? vector.layer}.hook_resid_post`, vector: vector.vector, ...where(placement) }];
}

function where(p: SteeringPlacement): { positions: SteeringPositions; phases?: readonly Phase[] } {
  return { positions: p.positions ?? 'all', ...(p.phases ? { phases: p.phases } : {}) };
}
