/**
 * Seconds per item of `collectSignals` at the real Qwen3.5-0.8B config (vocab 248,320, hidden 1024, 24 layers: 18 Gated
 * DeltaNet 16 x 128 + 6 attention 8 x 256, MLP 3584) with seeded random float32 weights (about 3.2 GB in memory),
 * on a 32-token item, next to a plain forward pass of the same item. Run with `npm run bench -w @trustbench/signals`
 * (a few minutes; needs about 5 GB of memory).
 */
import { bench, describe } from 'vitest';
import { loadTokenizer, createReferenceModel } from '@trustbench/model';
import { randomQwen35Weights, tinyQwen35Config } from '@trustbench/model/testing';
import { fileURLToPath } from 'node:url';
import { collectSignals } from '../src/collect-signals.js';

const layerTypes = Array.from({ length: 24 }, (_, i) => ((i + 1) % 4 === 0 ? 'full_attention' : 'linear_attention') as const);
const config = tinyQwen35Config({
  vocabSize: 248_320, hiddenSize: 1024, intermediateSize: 3584, numLayers: 24, layerTypes,
  numAttentionHeads: 8, numKeyValueHeads: 2, headDim: 256, rotaryDim: 64,
  linearNumKeyHeads: 16, linearNumValueHeads: 16, linearKeyHeadDim: 128, linearValueHeadDim: 128, eosTokenIds: [248_044],
});
const weights = randomQwen35Weights(config, 1);
const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const model = createReferenceModel({ id: 'random-0.8b', config, weights, tokenizer });
const ids = Array.from({ length: 32 }, (_, t) => (t * 7919) % 500);
const lens = { unembed: weights.lmHead, finalNorm: weights.finalNorm };

describe('0.8B config, random weights, 32-token item', () => {
  bench('forward (logits at every position)', async () => void (await model.forward(ids)), { iterations: 2, warmupIterations: 0 });
  bench('collectSignals without the logit lens', async () => {
    for await (const _ of collectSignals(model, [{ id: 'a', ids }], { datasetId: 'bench', seed: 1 }));
  }, { iterations: 2, warmupIterations: 0 });
  bench('collectSignals with the logit lens', async () => {
    for await (const _ of collectSignals(model, [{ id: 'a', ids }], { datasetId: 'bench', seed: 1, lens }));
  }, { iterations: 2, warmupIterations: 0 });
});
