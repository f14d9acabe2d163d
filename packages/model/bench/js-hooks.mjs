/**
 * What a JS hook function inside a mixer costs on the onnx engine: a 4-layer model at the real 0.8B widths (three
 * DeltaNet layers and one attention layer, seeded random weights), one forward of N tokens with no hooks, and with
 * identity hook functions at `blocks.3.attn.hook_pattern` and `blocks.0.linear_attn.hook_beta` (each splits its core).
 * Medians of 3 after a warm-up.
 *
 *   node bench/js-hooks.mjs [tokens=512]
 */
import { createOnnxModel } from '../dist/onnx/onnx-model.js';
import { randomQwen35Weights, tinyQwen35Config } from '../dist/testing/random-checkpoint.js';

const config = tinyQwen35Config({
  vocabSize: 1000, hiddenSize: 1024, intermediateSize: 3584, numLayers: 4, numAttentionHeads: 8, numKeyValueHeads: 2, headDim: 256, rotaryDim: 64,
  ropeTheta: 1e7, linearNumKeyHeads: 16, linearNumValueHeads: 16, linearKeyHeadDim: 128, linearValueHeadDim: 128, eosTokenIds: [1],
});
const tokenizer = { eosTokenIds: [1], encode: () => [], decode: () => '', applyChatTemplate: () => '' };
const model = await createOnnxModel({ id: 'js-hooks-bench', config, weights: randomQwen35Weights(config, 1), tokenizer });
const ids = Array.from({ length: Number(process.argv[2] ?? 512) }, (_, i) => (i * 37 + 11) % config.vocabSize);
const hooks = [['blocks.3.attn.hook_pattern', (t) => t], ['blocks.0.linear_attn.hook_beta', (t) => t]];
await model.runWithHooks(ids.slice(0, 8), { hooks }); // compiles the cores
const medianMs = async (options) => {
  const times = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await model.runWithHooks(ids, options);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
};
const plain = await medianMs({ hooks: [] });
const hooked = await medianMs({ hooks });
process.stdout.write(`${ids.length} tokens: no hooks ${plain.toFixed(0)} ms, JS hooks at pattern + beta ${hooked.toFixed(0)} ms (${(hooked / plain).toFixed(2)}x)\n`);
await model.release();
