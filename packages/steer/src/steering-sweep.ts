/**
 * Sweeping steering strength and placement: for each vector, layer and alpha (and optionally directional ablation),
 * the target metric and the side effects, as points of a trade-off curve; and a comparison of placement in Gated
 * DeltaNet layers against full-attention layers.
 */
import { InputError, type LayerType, type WhiteBoxModel } from '@trustbench/core';
import type { SteeringMetric } from './side-effects.js';
import { projectOutInterventions, steeringInterventions, type SteeringPositions, type SteeringVector } from './steering-vector.js';

/** One point of the trade-off curve. */
export interface SweepPoint {
  /** Layer the vector was read at. */
  readonly vectorLayer: number;
  /** Layer steered, and its type. */
  readonly layer: number;
  readonly layerType: LayerType;
  /** `add` (alpha * v) or `project_out` (alpha is then null). */
  readonly edit: 'add' | 'project_out';
  readonly alpha: number | null;
  readonly target: number;
  readonly sideEffects: Readonly<Record<string, number>>;
}

/** Options of `sweepSteering`. */
export interface SweepOptions {
  readonly alphas: readonly number[];
  /** The concept metric, e.g. a refusal rate. */
  readonly target: SteeringMetric;
  /** Named side-effect metrics, e.g. `neutralLogLikelihood(texts)`, `utilityAccuracy(items)`. */
  readonly sideEffects?: Readonly<Record<string, SteeringMetric>>;
  /** Layers to steer at; default each vector's own layer. */
  readonly layers?: readonly number[];
  /** Default `'all'`. */
  readonly positions?: SteeringPositions;
  /** Also evaluate projecting the direction out (one point per vector and layer). */
  readonly projectOut?: boolean;
}

/**
 * Evaluates the target and each side effect on the model steered by `alpha * v` (and, with `projectOut`, with v
 * projected out) for every vector x layer x alpha.
 *
 * @throws {InputError} for no vectors, no alphas, a non-finite alpha or a layer outside the model.
 * @example
 * const curve = await sweepSteering(model, [reading], { alphas: [0, -4, -8], layers: [0, 1, 2, 3], target: refusalRate,
 *   sideEffects: { neutralLL: neutralLogLikelihood(texts) } });
 */
export async function sweepSteering(model: WhiteBoxModel, vectors: readonly SteeringVector[], options: SweepOptions): Promise<SweepPoint[]> {
  if (vectors.length === 0 || options.alphas.length === 0) throw new InputError(`sweepSteering: needs vectors and alphas, got ${vectors.length} vectors and ${options.alphas.length} alphas`);
  for (const l of options.layers ?? []) {
    if (!Number.isInteger(l) || l < 0 || l >= model.layerTypes.length) throw new InputError(`sweepSteering: layer ${l} is outside 0..${model.layerTypes.length - 1}`);
  }
  const positions = options.positions ?? 'all';
  const points: SweepPoint[] = [];
  for (const v of vectors) {
    for (const layer of options.layers ?? [v.layer]) {
      const edits = [
        ...options.alphas.map((alpha) => ({ edit: 'add' as const, alpha, ivs: steeringInterventions(v, alpha, { layer, positions }) })),
        ...(options.projectOut ? [{ edit: 'project_out' as const, alpha: null, ivs: projectOutInterventions(v, { layer, positions }) }] : []),
      ];
      for (const { edit, alpha, ivs } of edits) {
        const steered = model.withInterventions(ivs);
        const sideEffects: Record<string, number> = {};
        for (const [name, fn] of Object.entries(options.sideEffects ?? {})) sideEffects[name] = await fn(steered);
        const target = await options.target(steered);
        points.push({ vectorLayer: v.layer, layer, layerType: model.layerTypes[layer] as LayerType, edit, alpha, target, sideEffects });
      }
    }
  }
  return points;
}

/** For one layer type: how many of its layers reach the goal, and the gentlest point that does. */
export interface PlacementSummary {
  readonly layerType: LayerType;
  readonly layers: readonly number[];
  readonly layersReaching: readonly number[];
  /** The `add` point reaching the goal with the smallest |alpha| (ties: earlier layer); undefined when none does. */
  readonly gentlest?: SweepPoint;
}

/**
 * Compares steering placement by layer type (Gated DeltaNet vs full attention) on sweep points: a point reaches the
 * goal when `target <= goal.at` (`goal.lower`, e.g. a refusal rate to bring down) or `target >= goal.at` otherwise.
 *
 * @example
 * const [deltaNet, attention] = comparePlacement(curve, { at: 0, lower: true });
 */
export function comparePlacement(points: readonly SweepPoint[], goal: { readonly at: number; readonly lower: boolean }): PlacementSummary[] {
  const reaches = (p: SweepPoint) => (goal.lower ? p.target <= goal.at : p.target >= goal.at);
  const types = [...new Set(points.map((p) => p.layerType))];
  return types.map((layerType) => {
    const mine = points.filter((p) => p.layerType === layerType);
    const ok = mine.filter((p) => p.edit === 'add' && reaches(p));
    const gentlest = ok.reduce<SweepPoint | undefined>((best, p) => (best === undefined || Math.abs(p.alpha as number) < Math.abs(best.alpha as number) ? p : best), undefined);
    return {
      layerType, layers: [...new Set(mine.map((p) => p.layer))], layersReaching: [...new Set(ok.map((p) => p.layer))],
      ...(gentlest ? { gentlest } : {}),
    };
  });
}
