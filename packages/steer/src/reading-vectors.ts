/**
 * Representation reading (RepE): per layer, the direction that separates the positive and negative members of
 * contrastive pairs in the residual stream at the last token, by difference of means or by the first principal
 * direction of the paired differences. The sign is fixed on a held-out half of the pairs, and the held-out accuracy of
 * the direction as a classifier says which layers, and which layer type, carry the concept.
 */
import { createRandom, hashString, InputError, type HookName, type LayerType, type WhiteBoxModel } from '@trustbench/core';
import type { SteeringVector } from './steering-vector.js';

/** One contrastive pair: token ids or raw text (encoded without a chat template). */
export interface ContrastPair {
  readonly positive: string | readonly number[];
  readonly negative: string | readonly number[];
}

/** How a direction is read. */
export type ReadingMethod = 'mean_difference' | 'pca';

/** A read direction at one layer, with its held-out quality. */
export interface LayerReading extends SteeringVector {
  /** Fraction of held-out pairs whose positive member projects further along the direction than its negative member. */
  readonly heldOutAccuracy: number;
  readonly fitPairs: number;
  readonly heldOutPairs: number;
}

/**
 * Reads a unit direction per layer.
 *
 * - `mean_difference`: v = mean(positive) - mean(negative) over the fit pairs.
 * - `pca`: the first principal direction of the paired differences (positive_i - negative_i), uncentred so that a
 *   consistent difference dominates, found by seeded power iteration.
 *
 * @throws {InputError} with fewer than 4 pairs (2 to fit, 2 to fix the sign and score).
 * @example
 * const readings = await readDirections(model, pairs, { concept: 'refusal', method: 'pca', seed: 1 });
 */
export async function readDirections(
  model: WhiteBoxModel, pairs: readonly ContrastPair[],
  options: { readonly concept: string; readonly method?: ReadingMethod; readonly layers?: readonly number[]; readonly seed?: number },
): Promise<LayerReading[]> {
  if (pairs.length < 4) throw new InputError(`readDirections: needs at least 4 pairs, got ${pairs.length}`);
  const method = options.method ?? 'mean_difference';
  const seed = options.seed ?? 0;
  const layers = options.layers ?? model.layerTypes.map((_, i) => i);
  const d = model.dimensions.dModel;
  const names = layers.map((i) => `blocks.${i}.hook_resid_post` as HookName);
  const lastActs = async (input: string | readonly number[]) => {
    const ids = typeof input === 'string' ? model.tokenizer.encode(input) : input;
    const { cache } = await model.runWithCache(ids, { names });
    return names.map((n) => cache.get(n)!.data.slice((ids.length - 1) * d, ids.length * d));
  };
  const acts = await Promise.all(pairs.map(async (p) => ({ pos: await lastActs(p.positive), neg: await lastActs(p.negative) })));
  const isFit = pairs.map((_, k) => hashString(`${seed}:${k}`) % 2 === 0);
  if (isFit.filter(Boolean).length < 2 || isFit.filter((f) => !f).length < 2) isFit.forEach((_, k) => (isFit[k] = k % 2 === 0));
  return layers.map((layer, li) => {
    const diffs = acts.map((a) => Float64Array.from(a.pos[li] as Float32Array, (x, i) => x - ((a.neg[li] as Float32Array)[i] as number)));
    const fit = diffs.filter((_, k) => isFit[k]);
    const held = diffs.filter((_, k) => !isFit[k]);
    let v = method === 'pca' ? firstDirection(fit, seed) : mean(fit);
    v = normalise(v);
    if (mean(held).reduce((s, x, i) => s + x * (v[i] as number), 0) < 0) v = v.map((x) => -x);
    const accuracy = held.filter((h) => h.reduce((s, x, i) => s + x * (v[i] as number), 0) > 0).length / held.length;
    return {
      modelId: model.id, layer, layerType: model.layerTypes[layer] as LayerType, method, concept: options.concept, vector: Float32Array.from(v),
      heldOutAccuracy: accuracy, fitPairs: fit.length, heldOutPairs: held.length,
    };
  });
}

function mean(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array((rows[0] as Float64Array).length);
  for (const r of rows) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (r[i] as number) / rows.length;
  return out;
}

function normalise(v: Float64Array): Float64Array {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
}

/** Power iteration for the top eigenvector of sum_i d_i d_i^T. */
function firstDirection(rows: readonly Float64Array[], seed: number): Float64Array {
  const random = createRandom(seed);
  let v = normalise(Float64Array.from({ length: (rows[0] as Float64Array).length }, () => random.normal()));
  for (let it = 0; it < 200; it++) {
    const next = new Float64Array(v.length);
    for (const r of rows) {
      const dot = r.reduce((s, x, i) => s + x * (v[i] as number), 0);
      for (let i = 0; i < v.length; i++) next[i] = (next[i] as number) + dot * (r[i] as number);
    }
    const n = normalise(next);
    const change = n.reduce((s, x, i) => s + Math.abs(x - (v[i] as number)), 0);
    v = n;
    if (change < 1e-12) break;
  }
  return v;
}
