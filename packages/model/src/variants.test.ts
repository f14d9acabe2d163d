/**
 * Parity against Hugging Face transformers' own Qwen3_5ForCausalLM (float64) on configurations the tiny fixture lacks:
 * DeltaNet dk != dv (F32), nv > nk (BF16, two oddly named shards), and both at once with an untied F16 head.
 * See fixtures/qwen35-variants/README.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HookName } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { readQwen35Config } from './config.js';
import { createReferenceModel } from './model.js';
import { loadTokenizer } from './tokenizer.js';
import { loadQwen35Weights } from './weights.js';

const root = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const tokenizer = await loadTokenizer(`${root}qwen35-tiny`, []); // forward tests use ids only
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe.each(['dk-ne-dv', 'nv-gt-nk', 'untied-f16'])('HF transformers golden: %s', async (variant) => {
  const dir = `${root}qwen35-variants/${variant}`;
  const golden = JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')) as {
    cases: { input_ids: number[]; logits: number[][]; hidden_states_last: number[][] }[];
    greedy: { input_ids: number[]; greedy_tokens: number[]; max_logits: number[] }[];
  };
  const config = await readQwen35Config(dir);
  const model = createReferenceModel({ id: variant, config, weights: await loadQwen35Weights(dir, config), tokenizer });

  it.each(golden.cases.map((c) => [c.input_ids.length, c] as const))('logits and hidden states for %i tokens', async (T, c) => {
    const names = ['hook_embed', ...config.layerTypes.map((_, i) => `blocks.${i}.hook_resid_post`)] as HookName[];
    const { logits, cache } = await model.runWithCache(c.input_ids, { names });
    const V = config.vocabSize;
    const d = config.hiddenSize;
    const logitErr = Math.max(...c.logits.map((row, t) => maxAbs(logits.data.subarray(t * V, (t + 1) * V), row)));
    const hiddenErr = Math.max(...names.map((n, i) => maxAbs(cache.get(n)!.data.subarray((T - 1) * d, T * d), c.hidden_states_last[i]!)));
    console.log(`${variant} T=${T}: max |logit err| ${logitErr.toExponential(2)}, max |hidden err| ${hiddenErr.toExponential(2)}`);
    expect(logitErr).toBeLessThan(1e-3);
    expect(hiddenErr).toBeLessThan(1e-3);
  });

  it('greedy decoding with caches', async () => {
    const g = golden.greedy[0]!;
    const maxLogits: number[] = [];
    const r = await model.generate('', { promptIds: g.input_ids, maxTokens: g.greedy_tokens.length, ignoreEos: true, onStep: ({ logits }) => maxLogits.push(Math.max(...logits)) });
    expect(r.tokenIds).toEqual(g.greedy_tokens);
    expect(maxAbs(maxLogits, g.max_logits)).toBeLessThan(1e-3);
  });
});
