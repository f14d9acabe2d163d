/**
 * Representation reading (RepE): per layer, the direction that separates the positive and negative members of
 * contrastive pairs in the residual stream at the last token, by difference of means or by the first principal
 * direction of the paired differences. The sign is fixed on a held-out split of the pairs, and the held-out accuracy of
 * the direction as a classifier says which layers, and which layer type, carry the concept.
 */
import { createRandom, hashString, InputError, type HookName, type LayerType, type WhiteBoxModel } from '@trustbench/core';
import type { ContrastPair, PairSet } from './contrast-pairs.js';
import type { SteeringVector } from './steering-vector.js';

/** How a direction is read. */
export type ReadingMethod = 'mean_difference' | 'pca';

/** A read direction at one layer, with its held-out quality. */
export interface LayerReading extends SteeringVector {
  /** Fraction of held-out pairs whose positive member projects further along the direction than its negative member. */
  readonly heldOutAccuracy: number;
  readonly fitPairs: number;
  readonly heldOutPairs: number;
  /** Where the pairs came from (a pair set's provenance, or `"inline"`). */
  readonly pairs: string;
  readonly seed: number;
}

/** Options of `readDirections`. */
export interface ReadOptions {
  /** The concept read; defaults to the pair set's. Required when `pairs` is a bare array. */
  readonly concept?: string;
  /** Default `'mean_difference'`. */
  readonly method?: ReadingMethod;
  /** Layers to read; default every layer. */
  readonly layers?: readonly number[];
  /** Fraction of pairs held out to fix the sign and score the direction; default 0.5. */
  readonly split?: number;
  /** Seeds the fit / held-out assignment and the power iteration; default 0. */
  readonly seed?: number;
}

/**
 * Reads a unit direction per layer from the residual stream (`blocks.{i}.hook_resid_post`) at each member's last token.
 *
 * - `mean_difference`: v = mean_i (pos_i - neg_i) over the fit pairs (equal to mean(pos) - mean(neg)).
 * - `pca`: the top eigenvector of sum_i d_i d_i^T with d_i = pos_i - neg_i over the fit pairs (uncentred, so that a
 *   consistent difference dominates), by seeded power iteration.
 *
 * Then v <- v / |v|, and v <- -v when mean_j (d_j . v) < 0 over the held-out pairs; heldOutAccuracy =
 * #{held-out j : d_j . v > 0} / #held-out.
 *
 * @param model a white-box model.
 * @param pairs a pair set (from `builtinPairs` / `loadPairs`) or bare pairs.
 * @throws {InputError} with fewer than 4 pairs, a split outside (0, 1) that leaves fewer than 2 pairs on a side, a layer
 *   outside the model, no concept, or fit pairs whose differences are all zero at a layer.
 * @example
 * const readings = await readDirections(model, await builtinPairs('refusal'), { method: 'pca', split: 0.5, seed: 1 });
 */
export async function readDirections(model: WhiteBoxModel, pairs: PairSet | readonly ContrastPair[], options: ReadOptions = {}): Promise<LayerReading[]> {
  const set = isPairSet(pairs) ? pairs : undefined;
  const rows = set ? set.pairs : (pairs as readonly ContrastPair[]);
  const concept = options.concept ?? set?.concept;
  if (concept === undefined) throw new InputError('readDirections: options.concept is required when pairs is a bare array');
  const method = options.method ?? 'mean_difference';
  const seed = options.seed ?? 0;
  const isFit = splitPairs(rows.length, options.split ?? 0.5, seed);
  const layers = options.layers ?? model.layerTypes.map((_, i) => i);
  for (const l of layers) {
    if (!Number.isInteger(l) || l < 0 || l >= model.layerTypes.length) throw new InputError(`readDirections: layer ${l} is outside 0..${model.layerTypes.length - 1}`);
  }
  const acts = await lastTokenActivations(model, rows, layers);
  return layers.map((layer, li) => {
    const diffs = acts.map((a) => Float64Array.from(a.pos[li] as Float32Array, (x, i) => x - ((a.neg[li] as Float32Array)[i] as number)));
    const fit = diffs.filter((_, k) => isFit[k]);
    const held = diffs.filter((_, k) => !isFit[k]);
    const raw = method === 'pca' ? firstDirection(fit, seed) : mean(fit);
    if (!raw.some((x) => x !== 0)) throw new InputError(`readDirections: at layer ${layer} the fit pairs' differences are all zero (their positive and negative members give identical activations)`);
    let v = normalise(raw);
    if (dot(mean(held), v) < 0) v = v.map((x) => -x);
    return {
      modelId: model.id, layer, layerType: model.layerTypes[layer] as LayerType, method, concept, vector: Float32Array.from(v),
      heldOutAccuracy: held.filter((h) => dot(h, v) > 0).length / held.length, fitPairs: fit.length, heldOutPairs: held.length,
      pairs: set?.provenance ?? 'inline', seed,
    };
  });
}

/** Per layer type: the earliest layer with the type's best held-out accuracy, and the mean accuracy over its layers. */
export interface LayerTypeSummary {
  readonly layerType: LayerType;
  readonly layers: readonly number[];
  readonly bestLayer: number;
  readonly bestAccuracy: number;
  readonly meanAccuracy: number;
}

/**
 * Which layer type carries the concept: groups readings by layer type (Gated DeltaNet `linear_attention` vs
 * `full_attention`), sorted by best held-out accuracy (descending), then by the layer where that accuracy is first
 * reached (ascending): once a layer writes a concept into the residual stream every later layer reads it too, so the
 * earliest layer at the top accuracy is the one that carries (writes) it.
 *
 * @throws {InputError} for no readings.
 * @example
 * const [carrier] = summariseByLayerType(readings); // carrier.layerType, carrier.bestLayer
 */
export function summariseByLayerType(readings: readonly LayerReading[]): LayerTypeSummary[] {
  if (readings.length === 0) throw new InputError('summariseByLayerType: no readings');
  const types = [...new Set(readings.map((r) => r.layerType))];
  return types.map((layerType) => {
    const mine = readings.filter((r) => r.layerType === layerType);
    const best = mine.reduce((a, b) => (b.heldOutAccuracy > a.heldOutAccuracy || (b.heldOutAccuracy === a.heldOutAccuracy && b.layer < a.layer) ? b : a));
    return {
      layerType, layers: mine.map((r) => r.layer), bestLayer: best.layer, bestAccuracy: best.heldOutAccuracy,
      meanAccuracy: mine.reduce((s, r) => s + r.heldOutAccuracy, 0) / mine.length,
    };
  }).sort((a, b) => b.bestAccuracy - a.bestAccuracy || a.bestLayer - b.bestLayer);
}

function isPairSet(p: PairSet | readonly ContrastPair[]): p is PairSet {
  return !Array.isArray(p);
}

/** Seeded assignment of pairs to fit (true) or held out (false), exactly round(n * split) held out. */
function splitPairs(n: number, split: number, seed: number): boolean[] {
  if (n < 4) throw new InputError(`readDirections: needs at least 4 pairs (2 to fit, 2 to fix the sign and score), got ${n}`);
  const held = Math.round(n * split);
  if (!(split > 0 && split < 1) || held < 2 || n - held < 2) {
    throw new InputError(`readDirections: split must be in (0, 1) and leave at least 2 pairs on each side, got ${split} of ${n} pairs (${held} held out)`);
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => hashString(`${seed}:${a}`) - hashString(`${seed}:${b}`) || a - b);
  const isFit = new Array<boolean>(n).fill(true);
  for (const k of order.slice(0, held)) isFit[k] = false;
  return isFit;
}

async function lastTokenActivations(model: WhiteBoxModel, pairs: readonly ContrastPair[], layers: readonly number[]) {
  const d = model.dimensions.dModel;
  const names = layers.map((i) => `blocks.${i}.hook_resid_post` as HookName);
  const last = async (input: string | readonly number[]) => {
    const ids = typeof input === 'string' ? model.tokenizer.encode(input) : input;
    if (ids.length === 0) throw new InputError(`readDirections: a pair member encodes to no tokens: ${JSON.stringify(input)}`);
    const { cache } = await model.runWithCache(ids, { names });
    return names.map((n) => (cache.get(n) as { data: Float32Array }).data.slice((ids.length - 1) * d, ids.length * d)); // [d_model]
  };
  const out: { pos: Float32Array[]; neg: Float32Array[] }[] = [];
  for (const p of pairs) out.push({ pos: await last(p.positive), neg: await last(p.negative) });
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function mean(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array((rows[0] as Float64Array).length);
  for (const r of rows) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (r[i] as number) / rows.length;
  return out;
}

/** v / |v|; a zero vector stays zero (the caller rejects an all-zero direction with its layer). */
function normalise(v: Float64Array): Float64Array {
  const n = Math.sqrt(dot(v, v));
  return n === 0 ? v : v.map((x) => x / n);
}

/** Power iteration for the top eigenvector of sum_i d_i d_i^T, from a seeded Gaussian start. */
function firstDirection(rows: readonly Float64Array[], seed: number): Float64Array {
  const random = createRandom(seed);
  let v = normalise(Float64Array.from({ length: (rows[0] as Float64Array).length }, () => random.normal()));
  for (let it = 0; it < 500; it++) {
    const next = new Float64Array(v.length);
    for (const r of rows) {
      const c = dot(r, v);
      for (let i = 0; i < v.length; i++) next[i] = (next[i] as number) + c * (r[i] as number);
    }
    const n = normalise(next);
    const change = n.reduce((s, x, i) => s + Math.abs(x - (v[i] as number)), 0);
    v = n;
    if (change < 1e-12) break;
  }
  return v;
}
