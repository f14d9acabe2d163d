import { fileURLToPath } from 'node:url';
import { HookError, tensor, type HookName, type Tensor } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { effectiveAttention } from './effective-attention.js';
import { createReferenceModel } from './model.js';
import { randomQwen35Weights, tinyQwen35Config } from './testing/random-checkpoint.js';
import { loadTokenizer } from './tokenizer.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), []);

describe('effectiveAttention on a model (nv > nk, dk != dv)', () => {
  const config = tinyQwen35Config({ vocabSize: 256, linearNumKeyHeads: 2, linearNumValueHeads: 4, linearKeyHeadDim: 8, linearValueHeadDim: 6 });
  const model = createReferenceModel({ id: 'test', config, weights: randomQwen35Weights(config, 5), tokenizer });
  const T = 70; // two chunks of the prefill's chunked form
  const ids = Array.from({ length: T }, (_, i) => (i * 53 + 3) % 256);
  const [nv, dv] = [config.linearNumValueHeads, config.linearValueHeadDim];

  it('equals the recurrence output for a unit value at j (o is linear in v): every head, i and j', async () => {
    const layer = 1;
    const a = await effectiveAttention(model, ids, layer);
    expect(a.shape).toEqual([1, nv, T, T]);
    let err = 0;
    for (let j = 0; j < T; j++) {
      let o: Tensor | undefined;
      // Replace v by e_j (channel 0 of every value head) and read the recurrence output: o_i[h, 0] = a[h, i, j].
      await model.runWithHooks(ids, {
        hooks: [
          [`blocks.${layer}.linear_attn.hook_v` as HookName, () => {
            const v = new Float32Array(T * nv * dv); // [1, T, nv, dv]
            for (let h = 0; h < nv; h++) v[(j * nv + h) * dv] = 1;
            return tensor(v, [1, T, nv, dv]);
          }],
          [`blocks.${layer}.linear_attn.hook_recurrence_out` as HookName, (t) => void (o = t)],
        ],
      });
      for (let h = 0; h < nv; h++) {
        for (let i = 0; i < T; i++) err = Math.max(err, Math.abs((o!.data[(i * nv + h) * dv] as number) - (a.data[(h * T + i) * T + j] as number)));
      }
    }
    console.log(`effectiveAttention vs recurrence with unit values, ${nv} heads x ${T}x${T}: max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-6);
    expect(a.data[(0 * T + 3) * T + 4]).toBe(0); // causal
  });

  it('refuses a full-attention layer and a missing layer', async () => {
    await expect(effectiveAttention(model, ids, 3)).rejects.toThrow(HookError);
    await expect(effectiveAttention(model, ids, 9)).rejects.toThrow(/layer 9 must be a linear_attention .* got none \(the model has 4 layers\)/);
  });
});
