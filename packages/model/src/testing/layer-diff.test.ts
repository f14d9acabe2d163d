import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createReferenceModel } from '../model.js';
import { loadTokenizer } from '../tokenizer.js';
import type { BlockWeights } from '../weights.js';
import { formatLayerDiff, layerDiff } from './layer-diff.js';
import { randomQwen35Weights, tinyQwen35Config } from './random-checkpoint.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url)), []);
const config = tinyQwen35Config({ vocabSize: 512 });
const weights = randomQwen35Weights(config, 11);
const reference = createReferenceModel({ id: 'a', config, weights, tokenizer });
const ids = [5, 99, 300, 7, 42, 8];

/** The same weights with one tensor of one block scaled. */
function perturbed(layer: number, field: string): ReturnType<typeof createReferenceModel> {
  const blocks = weights.blocks.map((b, i) => {
    if (i !== layer) return b;
    const t = (b as unknown as Record<string, Float32Array>)[field]!;
    return { ...b, [field]: t.map((x) => x * 1.5) } as BlockWeights;
  });
  return createReferenceModel({ id: 'b', config, weights: { ...weights, blocks }, tokenizer });
}

describe('layerDiff', () => {
  it('finds no divergence between a model and itself', async () => {
    const diff = await layerDiff(reference, createReferenceModel({ id: 'same', config, weights, tokenizer }), ids);
    expect(diff.first).toBeNull();
    expect(diff.hooks.every((h) => h.maxError === 0)).toBe(true);
    expect(formatLayerDiff(diff)).toMatch(/no divergence above atol 0.0001 across \d+ hooks$/);
  });

  it.each([
    [2, 'mlpDown', 'blocks.2.hook_mlp_out'],
    [1, 'inProjZ', 'blocks.1.linear_attn.hook_gate'],
    [3, 'kNorm', 'blocks.3.attn.hook_k'],
  ])('a change to layer %i %s first shows at %s', async (layer, field, expected) => {
    const diff = await layerDiff(reference, perturbed(layer, field), ids);
    expect(diff.first?.name).toBe(expected);
    const text = formatLayerDiff(diff);
    expect(text.split('\n').at(-1)).toBe(`first divergence (atol 0.0001) at ${expected}`);
  });
});
