import { fileURLToPath } from 'node:url';
import { InputError } from '@trustbench/core';
import { createReferenceModel, loadTokenizer } from '@trustbench/model';
import { plantedCheckpoint, plantedPrompts } from '@trustbench/signals/testing';
import { describe, expect, it } from 'vitest';
import { readDirections, summariseByLayerType } from './reading-vectors.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const planted = plantedCheckpoint({ layer: 1 });
const model = createReferenceModel({ id: 'planted-1', config: planted.config, weights: planted.weights, tokenizer });
const prompts = plantedPrompts(planted, 10, 2);
const pairs = Array.from({ length: 10 }, (_, p) => ({ positive: prompts[2 * p]!.ids, negative: prompts[2 * p + 1]!.ids }));

describe('readDirections', () => {
  it('is deterministic for a seed, and PCA agrees with the mean difference when one direction dominates', async () => {
    const a = await readDirections(model, pairs, { concept: 'c', method: 'pca', layers: [1], seed: 4 });
    const b = await readDirections(model, pairs, { concept: 'c', method: 'pca', layers: [1], seed: 4 });
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ fitPairs: 5, heldOutPairs: 5, pairs: 'inline', seed: 4, method: 'pca', layerType: 'linear_attention' });
    const other = await readDirections(model, pairs, { concept: 'c', method: 'mean_difference', layers: [1], seed: 4 });
    const cos = a[0]!.vector.reduce((s, x, i) => s + x * other[0]!.vector[i]!, 0);
    expect(cos).toBeGreaterThan(0.99); // on this checkpoint the paired differences share one dominant direction
  });

  it('holds out round(n * split) pairs', async () => {
    const [r] = await readDirections(model, pairs, { concept: 'c', layers: [0], split: 0.3, seed: 1 });
    expect([r!.fitPairs, r!.heldOutPairs]).toEqual([7, 3]);
  });

  it('rejects too few pairs, a bad split, a layer outside the model, a missing concept and identical members', async () => {
    await expect(readDirections(model, pairs.slice(0, 3), { concept: 'c' })).rejects.toThrow(new InputError('readDirections: needs at least 4 pairs (2 to fit, 2 to fix the sign and score), got 3'));
    await expect(readDirections(model, pairs, { concept: 'c', split: 0.9 })).rejects.toThrow('split must be in (0, 1) and leave at least 2 pairs on each side, got 0.9 of 10 pairs (9 held out)');
    await expect(readDirections(model, pairs, { concept: 'c', layers: [4] })).rejects.toThrow('readDirections: layer 4 is outside 0..3');
    await expect(readDirections(model, pairs)).rejects.toThrow('options.concept is required when pairs is a bare array');
    const same = Array.from({ length: 4 }, () => ({ positive: [1, 2], negative: [1, 2] }));
    await expect(readDirections(model, same, { concept: 'c', layers: [0] })).rejects.toThrow("readDirections: at layer 0 the fit pairs' differences are all zero");
  });
});

describe('summariseByLayerType', () => {
  it('puts the type that reaches the best accuracy earliest first', () => {
    const r = (layer: number, layerType: 'linear_attention' | 'full_attention', heldOutAccuracy: number) => ({
      modelId: 'm', layer, layerType, method: 'pca', concept: 'c', vector: new Float32Array(1), heldOutAccuracy, fitPairs: 2, heldOutPairs: 2, pairs: 'inline', seed: 0,
    });
    expect(summariseByLayerType([r(0, 'linear_attention', 0.5), r(1, 'linear_attention', 1), r(2, 'linear_attention', 1), r(3, 'full_attention', 1)])).toEqual([
      { layerType: 'linear_attention', layers: [0, 1, 2], bestLayer: 1, bestAccuracy: 1, meanAccuracy: 2.5 / 3 },
      { layerType: 'full_attention', layers: [3], bestLayer: 3, bestAccuracy: 1, meanAccuracy: 1 },
    ]);
    expect(() => summariseByLayerType([])).toThrow('summariseByLayerType: no readings');
  });
});
