/**
 * The onnx engine against the fixture goldens (an independent float64 reference, 1e-3) and against the reference
 * engine on random tiny checkpoints: 1e-4 on short sequences; over three DeltaNet chunks, 5e-5 relative to the
 * largest logit, whether the tokens go in as one prefill (chunked core) or one at a time (one-token core). The long
 * case is float32 (onnx) against float64 sums (reference): at a few positions a DeltaNet head's output is ~1e-4 of its
 * usual size, and the gated RMSNorm scales its float32 rounding back up, in either form.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HookName } from '@trustbench/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readQwen35Config } from '../config.js';
import { createReferenceModel } from '../model.js';
import { randomQwen35Weights, tinyQwen35Config } from '../testing/random-checkpoint.js';
import { loadTokenizer } from '../tokenizer.js';
import { loadQwen35Weights } from '../weights.js';
import { loadOnnxModel } from './load-onnx-model.js';
import { buildOnnxEngine } from './build-engine.js';
import { createOnnxModel, type OnnxModel } from './onnx-model.js';
import { createOnnxSequenceState } from './state.js';

const root = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
const models: OnnxModel[] = [];
afterAll(async () => {
  for (const m of models) await m.release();
});

describe('onnx engine vs the float64 goldens', async () => {
  const model = await loadOnnxModel(`${root}qwen35-tiny`);
  models.push(model);
  const golden = JSON.parse(readFileSync(`${root}qwen35-tiny/golden.json`, 'utf8')) as { cases: { input_ids: number[]; logits: number[][]; hidden_states_last: number[][] }[] };
  const greedy = JSON.parse(readFileSync(`${root}qwen35-tiny/greedy.json`, 'utf8')) as { cases: { input_ids: number[]; greedy_tokens: number[]; max_logits: number[] }[] };
  const { vocabSize: V, dModel: d, nLayers: L } = model.dimensions;

  it.each(golden.cases.map((c) => [c.input_ids.length, c] as const))('logits and hidden states for %i tokens within 1e-3', async (T, c) => {
    const names = ['hook_embed', ...Array.from({ length: L }, (_, i) => `blocks.${i}.hook_resid_post`)] as HookName[];
    const { logits, cache } = await model.runWithCache(c.input_ids, { names });
    const logitErr = Math.max(...c.logits.map((row, t) => maxAbs(logits.data.subarray(t * V, (t + 1) * V), row)));
    const hiddenErr = Math.max(...names.map((n, i) => maxAbs(cache.get(n)!.data.subarray((T - 1) * d, T * d), c.hidden_states_last[i]!)));
    console.log(`onnx golden T=${T}: max |logit err| ${logitErr.toExponential(2)}, max |hidden err| ${hiddenErr.toExponential(2)}`);
    expect(logitErr).toBeLessThan(1e-3);
    expect(hiddenErr).toBeLessThan(1e-3);
  });

  it.each(greedy.cases.map((c, i) => [i, c] as const))('greedy case %i: ids exactly, max logits within 1e-3', async (_, c) => {
    const maxLogits: number[] = [];
    const r = await model.generate('', { promptIds: c.input_ids, maxTokens: c.greedy_tokens.length, ignoreEos: true, onStep: ({ logits }) => maxLogits.push(Math.max(...logits)) });
    expect(r.tokenIds).toEqual(c.greedy_tokens);
    expect(maxAbs(maxLogits, c.max_logits)).toBeLessThan(1e-3);
  });
});

describe.each(['dk-ne-dv', 'nv-gt-nk', 'untied-f16'])('onnx engine vs HF transformers golden: %s', async (variant) => {
  const dir = `${root}qwen35-variants/${variant}`;
  const golden = JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')) as { cases: { input_ids: number[]; logits: number[][] }[] };
  const config = await readQwen35Config(dir);
  const model = await createOnnxModel({ id: variant, config, weights: await loadQwen35Weights(dir, config), tokenizer: await loadTokenizer(`${root}qwen35-tiny`, []) });
  models.push(model);

  it('logits of every case within 1e-3', async () => {
    const V = model.dimensions.vocabSize;
    for (const c of golden.cases) {
      const logits = await model.forward(c.input_ids);
      expect(Math.max(...c.logits.map((row, t) => maxAbs(logits.data.subarray(t * V, (t + 1) * V), row)))).toBeLessThan(1e-3);
    }
  });
});

const tokenizer = await loadTokenizer(`${root}qwen35-tiny`, [500]);
const configs = {
  'dk == dv': tinyQwen35Config({ vocabSize: 512 }),
  'nv > nk and dk != dv, untied': tinyQwen35Config({ vocabSize: 512, linearNumKeyHeads: 2, linearNumValueHeads: 6, linearKeyHeadDim: 8, linearValueHeadDim: 12, tieWordEmbeddings: false }),
};
const ids = Array.from({ length: 150 }, (_, i) => (i * 37 + 11) % 500);

describe.each(Object.entries(configs))('onnx engine vs reference engine, %s', async (_, config) => {
  const weights = randomQwen35Weights(config, 7);
  const reference = createReferenceModel({ id: 'ref', config, weights, tokenizer });
  const model = await createOnnxModel({ id: 'onnx', config, weights, tokenizer });
  models.push(model);
  const V = config.vocabSize;

  it('a mixed-length batch (1, 5 and 12 tokens) within 1e-4, right-padded with zeros', async () => {
    const batch = [ids.slice(0, 1), ids.slice(3, 8), ids.slice(20, 32)];
    const [a, b] = [await model.forward(batch), await reference.forward(batch)];
    expect(a.shape).toEqual(b.shape);
    const err = maxAbs(a.data, b.data);
    console.log(`${_}: batch of 1/5/12 tokens max |logit err| vs reference ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
    expect(a.data.subarray(1 * 12 * V - 11 * V, 12 * V).every((x) => x === 0)).toBe(true);
  });

  it('150 tokens (three chunks) and cached decode after them, relative to the largest logit within 5e-5', async () => {
    const full = await reference.forward(ids);
    const scale = full.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const err = maxAbs((await model.forward(ids)).data, full.data);
    const steps: Float32Array[] = [];
    const r = await model.generate('', { promptIds: ids.slice(0, 140), maxTokens: 6, ignoreEos: true, onStep: ({ logits }) => void steps.push(logits) });
    const refSteps: Float32Array[] = [];
    const rr = await reference.generate('', { promptIds: ids.slice(0, 140), maxTokens: 6, ignoreEos: true, onStep: ({ logits }) => void refSteps.push(logits) });
    const decodeErr = Math.max(...steps.map((s, i) => maxAbs(s, refSteps[i]!)));
    console.log(`${_}: 150-token prefill max |logit err| ${err.toExponential(2)}, decode ${decodeErr.toExponential(2)} (max |logit| ${scale.toFixed(1)})`);
    expect(err / scale).toBeLessThan(5e-5);
    expect(decodeErr / scale).toBeLessThan(5e-5);
    expect(r.tokenIds).toEqual(rr.tokenIds);
  });

  it('150 tokens fed one at a time (the one-token core) within the same relative bound', async () => {
    const full = await reference.forward(ids);
    const scale = full.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const engine = await buildOnnxEngine(config, { globals: () => weights, block: (i) => weights.blocks[i]! }, 'fp32', { device: 'cpu' });
    const state = createOnnxSequenceState(config);
    const plan = { interventions: [], hooks: [], cacheNames: new Set<HookName>() };
    let err = 0;
    for (let t = 0; t < ids.length; t++) {
      const [row] = await engine.forwardBatch([{ ids: [ids[t]!], state, plan, phase: t === 0 ? 'prefill' : 'decode', promptLength: 1, logitRows: [0] }]);
      err = Math.max(err, maxAbs(row!, full.data.subarray(t * V, (t + 1) * V)));
    }
    await engine.release();
    console.log(`${_}: 150 tokens one at a time max |logit err| ${err.toExponential(2)} (max |logit| ${scale.toFixed(1)})`);
    expect(err / scale).toBeLessThan(5e-5);
  });

  it('scores continuations like the reference', async () => {
    const requests = [{ context: 'The sky is', continuation: ' blue' }, { context: [{ role: 'user' as const, content: 'Hi' }], continuation: 'Hello there' }];
    const [a, b] = [await model.scoreContinuations(requests), await reference.scoreContinuations(requests)];
    a.forEach((s, i) => {
      expect(s.logprob).toBeCloseTo(b[i]!.logprob, 3);
      expect(s.isGreedy).toBe(b[i]!.isGreedy);
    });
  });
});
