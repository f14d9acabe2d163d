/**
 * Parity against the fixture's goldens (an independent float64 reference): logits at every position and
 * the residual stream after every layer, for sequences of 1, 7 and 33 tokens; and greedy decoding.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HookName } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';

const dir = fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url));
const golden = JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')) as {
  tolerance: { logits_atol: number; hidden_atol: number };
  cases: { input_ids: number[]; logits: number[][]; hidden_states_last: number[][]; final_norm_last: number[] }[];
};
const greedy = JSON.parse(readFileSync(`${dir}/greedy.json`, 'utf8')) as { cases: { input_ids: number[]; greedy_tokens: number[]; max_logits: number[] }[] };

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('reference engine vs goldens', async () => {
  const model = await loadModel(dir);
  const V = model.dimensions.vocabSize;
  const L = model.dimensions.nLayers;

  it.each(golden.cases.map((c) => [c.input_ids.length, c] as const))('matches logits and hidden states for %i tokens', async (_, c) => {
    const names: HookName[] = ['hook_embed', ...Array.from({ length: L }, (_, i) => `blocks.${i}.hook_resid_post` as HookName), 'ln_final.hook_normalized'];
    const { logits, cache } = await model.runWithCache(c.input_ids, { names });
    const T = c.input_ids.length;
    expect(logits.shape).toEqual([1, T, V]);
    let logitErr = 0;
    c.logits.forEach((row, t) => (logitErr = Math.max(logitErr, maxAbs(logits.data.subarray(t * V, (t + 1) * V), row))));
    let hiddenErr = 0;
    const d = model.dimensions.dModel;
    names.slice(0, L + 1).forEach((n, i) => {
      const act = cache.get(n)!.data;
      hiddenErr = Math.max(hiddenErr, maxAbs(act.subarray((T - 1) * d, T * d), c.hidden_states_last[i]!));
    });
    const normErr = maxAbs(cache.get('ln_final.hook_normalized')!.data.subarray((T - 1) * d), c.final_norm_last);
    console.log(`golden T=${T}: max |logit err| ${logitErr.toExponential(2)}, max |hidden err| ${hiddenErr.toExponential(2)}, final norm ${normErr.toExponential(2)}`);
    expect(logitErr).toBeLessThan(golden.tolerance.logits_atol);
    expect(hiddenErr).toBeLessThan(golden.tolerance.hidden_atol);
    expect(normErr).toBeLessThan(golden.tolerance.hidden_atol);
  });

  it.each(greedy.cases.map((c, i) => [i, c] as const))('reproduces greedy case %i: ids exactly, max logits within 1e-3', async (_, c) => {
    const maxLogits: number[] = [];
    const r = await model.generate('', { promptIds: c.input_ids, maxTokens: c.greedy_tokens.length, ignoreEos: true, onStep: ({ logits }) => maxLogits.push(Math.max(...logits)) });
    expect(r.tokenIds).toEqual(c.greedy_tokens);
    const err = maxAbs(maxLogits, c.max_logits);
    console.log(`greedy ${c.input_ids.length}-token prompt: max |max-logit err| ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-3);
  });
});
