/**
 * Linear probes: a seeded logistic regression on activations for a binary label, trained on one split and judged on
 * the other (accuracy and AUROC), per layer and layer type, so a diagnosis can say which layers carry a concept.
 */
import { createRandom, InputError, type HookName, type LayerType, type WhiteBoxModel } from '@trustbench/core';
import { auroc } from '@trustbench/metrics';

/** A fitted probe. */
export interface Probe {
  readonly weights: Float64Array;
  readonly bias: number;
  predict(x: ArrayLike<number>): number;
}

/**
 * Fits logistic regression by full-batch gradient descent on standardised features, with L2 penalty `l2`.
 *
 * @throws {InputError} for empty or mismatched input.
 * @example
 * const probe = fitProbe(features, labels, { seed: 1 });
 */
export function fitProbe(features: readonly Float32Array[], labels: readonly (0 | 1)[], options: { readonly epochs?: number; readonly lr?: number; readonly l2?: number; readonly seed?: number } = {}): Probe {
  if (features.length === 0 || features.length !== labels.length) throw new InputError(`fitProbe: needs as many labels as feature rows (> 0), got ${features.length} and ${labels.length}`);
  const d = (features[0] as Float32Array).length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const f of features) for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) + (f[i] as number) / features.length;
  for (const f of features) for (let i = 0; i < d; i++) sd[i] = (sd[i] as number) + ((f[i] as number) - (mean[i] as number)) ** 2 / features.length;
  for (let i = 0; i < d; i++) sd[i] = Math.sqrt(sd[i] as number) || 1;
  const z = features.map((f) => Float64Array.from(f, (x, i) => (x - (mean[i] as number)) / (sd[i] as number)));
  const random = createRandom(options.seed ?? 0);
  const w = Float64Array.from({ length: d }, () => 0.01 * random.normal());
  let b = 0;
  const lr = options.lr ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  for (let epoch = 0; epoch < (options.epochs ?? 300); epoch++) {
    const gw = new Float64Array(d);
    let gb = 0;
    z.forEach((x, k) => {
      let s = b;
      for (let i = 0; i < d; i++) s += (w[i] as number) * (x[i] as number);
      const err = 1 / (1 + Math.exp(-s)) - (labels[k] as number);
      for (let i = 0; i < d; i++) gw[i] = (gw[i] as number) + err * (x[i] as number);
      gb += err;
    });
    for (let i = 0; i < d; i++) w[i] = (w[i] as number) - lr * ((gw[i] as number) / z.length + l2 * (w[i] as number));
    b -= (lr * gb) / z.length;
  }
  return {
    weights: w,
    bias: b,
    predict: (x) => {
      let s = b;
      for (let i = 0; i < d; i++) s += (w[i] as number) * (((x[i] as number) - (mean[i] as number)) / (sd[i] as number));
      return 1 / (1 + Math.exp(-s));
    },
  };
}

/** Held-out quality of a probe at one layer. */
export interface LayerProbe {
  readonly layer: number;
  readonly layerType: LayerType;
  readonly accuracy: number;
  readonly auroc: number;
}

/**
 * Probes `blocks.{i}.hook_resid_post` at the last position of each input, for every layer: trained on items whose
 * `split` is 'train', judged on the rest.
 *
 * @example
 * const layers = await probeLayers(model, items.map((i) => i.ids), items.map((i) => i.label), items.map((_, k) => (k % 2 ? 'test' : 'train')));
 */
export async function probeLayers(model: WhiteBoxModel, inputs: readonly (readonly number[])[], labels: readonly (0 | 1)[], split: readonly ('train' | 'test')[], options: { readonly seed?: number } = {}): Promise<LayerProbe[]> {
  const names = model.layerTypes.map((_, i) => `blocks.${i}.hook_resid_post` as HookName);
  const d = model.dimensions.dModel;
  const rows = await Promise.all(inputs.map(async (ids) => {
    const { cache } = await model.runWithCache(ids, { names });
    return names.map((n) => cache.get(n)!.data.slice((ids.length - 1) * d, ids.length * d));
  }));
  return model.layerTypes.map((layerType, layer) => {
    const train = rows.map((r, k) => [r[layer] as Float32Array, labels[k] as 0 | 1, split[k]] as const).filter((x) => x[2] === 'train');
    const test = rows.map((r, k) => [r[layer] as Float32Array, labels[k] as 0 | 1, split[k]] as const).filter((x) => x[2] === 'test');
    const probe = fitProbe(train.map((x) => x[0]), train.map((x) => x[1]), { seed: options.seed ?? 0 });
    const p = test.map((x) => probe.predict(x[0]));
    const y = test.map((x) => x[1]);
    const both = y.includes(0) && y.includes(1);
    return { layer, layerType, accuracy: p.filter((v, k) => (v >= 0.5 ? 1 : 0) === y[k]).length / p.length, auroc: both ? auroc(p, y) : Number.NaN };
  });
}
