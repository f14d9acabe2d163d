/**
 * Sweeping steering strength and placement: for each (layer, alpha), the target metric and the side effects, as points
 * of a trade-off curve.
 */
import type { WhiteBoxModel } from '@trustbench/core';
import { steeringInterventions, type SteeringVector } from './steering-vector.js';

/** One point of the trade-off curve. */
export interface SweepPoint {
  readonly layer: number;
  readonly layerType: SteeringVector['layerType'];
  readonly alpha: number;
  readonly target: number;
  readonly sideEffects: Readonly<Record<string, number>>;
}

/**
 * Evaluates `target` and each side-effect function on the model steered by `alpha * v` at each vector's layer.
 *
 * @example
 * const curve = await sweepSteering(model, readings, [0, -2, -4, -8], { target: refusalRate, sideEffects: { neutralLogLikelihood } });
 */
export async function sweepSteering(
  model: WhiteBoxModel, vectors: readonly SteeringVector[], alphas: readonly number[],
  evaluate: { readonly target: (m: WhiteBoxModel) => Promise<number>; readonly sideEffects?: Readonly<Record<string, (m: WhiteBoxModel) => Promise<number>>> },
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const v of vectors) {
    for (const alpha of alphas) {
      const steered = model.withInterventions(steeringInterventions(v, alpha));
      const sideEffects: Record<string, number> = {};
      for (const [name, fn] of Object.entries(evaluate.sideEffects ?? {})) sideEffects[name] = await fn(steered);
      points.push({ layer: v.layer, layerType: v.layerType, alpha, target: await evaluate.target(steered), sideEffects });
    }
  }
  return points;
}
