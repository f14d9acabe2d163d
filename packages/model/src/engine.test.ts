/**
 * Self-consistency of the reference engine on random tiny checkpoints, including configs where the
 * DeltaNet key and value head sizes differ and value heads outnumber key heads.
 */
import { fileURLToPath } from 'node:url';
import { AbortError, HookError, InputError, type HookContext, type HookName, type Tensor } from '@trustbench/core';
import { describe, expect, it } from 'vitest';
import { createSequenceState } from './cache.js';
import { forwardSequence } from './forward.js';
import { createHookRunner } from './hook-runner.js';
import { createReferenceModel } from './model.js';
import { randomQwen35Weights, tinyQwen35Config } from './testing/random-checkpoint.js';
import { loadTokenizer } from './tokenizer.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const configs = {
  'dk == dv': tinyQwen35Config({ vocabSize: 512 }),
  'dk != dv': tinyQwen35Config({ vocabSize: 512, linearKeyHeadDim: 8, linearValueHeadDim: 12 }),
  'nv > nk and dk != dv, untied': tinyQwen35Config({ vocabSize: 512, linearNumKeyHeads: 2, linearNumValueHeads: 6, linearKeyHeadDim: 8, linearValueHeadDim: 12, tieWordEmbeddings: false }),
};
const ids = Array.from({ length: 150 }, (_, i) => (i * 37 + 11) % 500); // three DeltaNet chunks of 64 in prefill
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
/** Sequence b of a right-padded batch tensor, cut back to its own shape [1, ...]. */
const unpad = (t: Tensor, b: number, shape: readonly number[]): Float32Array => {
  const dims = t.shape.slice(1);
  const own = shape.slice(1);
  const out = new Float32Array(own.reduce((x, y) => x * y, 1));
  out.forEach((_, flat) => {
    let rem = flat;
    let at = 0;
    let stride = 1;
    for (let a = own.length - 1; a >= 0; a--) {
      at += (rem % own[a]!) * stride;
      rem = Math.floor(rem / own[a]!);
      stride *= dims[a]!;
    }
    out[flat] = t.data[b * stride + at]!;
  });
  return out;
};
const noHooks = (config: typeof configs['dk == dv']) => createHookRunner({ interventions: [], hooks: [], cacheNames: new Set() }, config.layerTypes, { phase: 'prefill', positions: [], promptLength: 0 }, new Map());

describe.each(Object.entries(configs))('reference engine, %s', (_, config) => {
  const weights = randomQwen35Weights(config, 7);
  const model = createReferenceModel({ id: 'test', config, weights, tokenizer });
  const V = config.vocabSize;
  const full = forwardSequence(ids, createSequenceState(config), weights, config, noHooks(config), ids.map((_, t) => t)); // [T, V]

  it('cached token-by-token decode reproduces the full forward', () => {
    const state = createSequenceState(config);
    let err = 0;
    ids.forEach((id, t) => {
      const row = forwardSequence([id], state, weights, config, noHooks(config), [0]);
      err = Math.max(err, maxAbs(row, full.subarray(t * V, (t + 1) * V)));
    });
    const scale = full.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    console.log(`${_}: decode vs full forward max error ${err.toExponential(2)} (max |logit| ${scale.toFixed(1)})`);
    expect(err / scale).toBeLessThan(2e-5); // float32 accumulation order differs between the chunked and recurrent forms
  });

  it('prefill from a non-zero state (two chunked calls) equals one call', () => {
    const state = createSequenceState(config);
    forwardSequence(ids.slice(0, 70), state, weights, config, noHooks(config), [0]);
    const rest = forwardSequence(ids.slice(70), state, weights, config, noHooks(config), ids.slice(70).map((__, t) => t));
    const err = maxAbs(rest, full.subarray(70 * V));
    console.log(`${_}: prefill 70 + 80 tokens vs one 150-token prefill max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
  });

  it('a mixed-length batch equals each sequence alone, right-padded with zeros', async () => {
    const a = ids.slice(0, 5);
    const b = ids.slice(10, 19);
    const batch = await model.forward([a, b]);
    expect(batch.shape).toEqual([2, 9, V]);
    const alone = await model.forward(a);
    expect(Array.from(batch.data.subarray(0, 5 * V))).toEqual(Array.from(alone.data));
    expect(batch.data.subarray(5 * V, 9 * V).every((x) => x === 0)).toBe(true);
    expect(Array.from(batch.data.subarray(9 * V))).toEqual(Array.from((await model.forward(b)).data));
  });

  it('a packed batch gives each sequence the same hook reads, contexts and caches as running alone', async () => {
    const seqs = [ids.slice(0, 70), ids.slice(3, 8), ids.slice(20, 21)]; // 70 tokens: two DeltaNet chunks
    const names: HookName[] = ['blocks.0.linear_attn.hook_state', 'blocks.3.attn.hook_pattern', 'blocks.2.hook_resid_post', 'hook_logits'];
    const contexts: HookContext[] = [];
    await model.runWithHooks(seqs, { hooks: [['blocks.1.hook_mlp_out', (_, ctx) => void contexts.push(ctx)]] });
    expect(contexts.map((ctx) => [ctx.positions.length, ctx.promptLength, ctx.layerType])).toEqual(seqs.map((q) => [q.length, q.length, 'linear_attention']));
    const batched = await model.runWithCache(seqs, { names });
    for (const [b, q] of seqs.entries()) {
      const alone = await model.runWithCache(q, { names });
      for (const n of names) expect(Array.from(unpad(batched.cache.get(n)!, b, alone.cache.get(n)!.shape))).toEqual(Array.from(alone.cache.get(n)!.data));
      expect(Array.from(batched.logits.data.subarray(b * 70 * V, (b * 70 + q.length) * V))).toEqual(Array.from(alone.logits.data));
    }
  });

  it('scores many requests in one pass with the same bits as one at a time', async () => {
    const requests = [
      { context: 'The sky is', continuation: ' blue' },
      { context: 'Answer: ', continuation: 'yes it is' },
      { context: [{ role: 'user' as const, content: 'Hi' }], continuation: 'Hello there' },
    ];
    const together = await model.scoreContinuations(requests);
    const alone = await Promise.all(requests.map(async (r) => (await model.scoreContinuations([r]))[0]));
    expect(together).toEqual(alone);
    expect(await model.scoreContinuations([])).toEqual([]);
  });

  it('stops at an aborted signal: forward throws AbortError, generate reports abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.forward(ids, { signal: controller.signal })).rejects.toThrow(AbortError);
    const r = await model.generate('', { promptIds: ids.slice(0, 4), maxTokens: 3, signal: controller.signal });
    expect(r).toMatchObject({ finishReason: 'abort', text: '', usage: { completionTokens: 0 } });
  });

  it('scores continuations as the sum of the full forward log-probabilities, computing the head only where needed', async () => {
    const [s] = await model.scoreContinuations([{ context: 'The sky is', continuation: ' blue' }]);
    const ctx = tokenizer.encode('The sky is');
    const all = tokenizer.encode('The sky is blue');
    const logits = await model.forward(all);
    let expected = 0;
    for (let t = ctx.length; t < all.length; t++) {
      const row = logits.data.subarray((t - 1) * V, t * V);
      const m = Math.max(...row);
      const lz = m + Math.log(row.reduce((acc, x) => acc + Math.exp(x - m), 0));
      expected += (row[all[t] as number] as number) - lz;
    }
    expect(s!.tokenCount).toBe(all.length - ctx.length);
    expect(s!.logprob).toBeCloseTo(expected, 4);
  });
});

describe('hooks on the reference engine', () => {
  const config = configs['dk != dv'];
  const model = createReferenceModel({ id: 'test', config, weights: randomQwen35Weights(config, 3), tokenizer });
  const prompt = ids.slice(0, 12);

  it('an identity hook at every point gives bit-identical logits', async () => {
    const plain = await model.forward(prompt);
    const hooked = await model.runWithHooks(prompt, { hooks: model.hookNames.map((n) => [n, (t: Tensor) => t] as const) });
    expect(Array.from(hooked.logits.data)).toEqual(Array.from(plain.data));
  });

  it('adding alpha * v at a layer changes its resid_post by exactly that; alpha = 0 changes nothing', async () => {
    const layer = 1;
    const name = `blocks.${layer}.hook_resid_post` as HookName;
    const v = Float32Array.from({ length: config.hiddenSize }, (_, i) => Math.cos(i));
    const base = (await model.runWithCache(prompt, { names: [name] })).cache.get(name)!;
    const steered = model.withInterventions([{ kind: 'add', hook: name, vector: v, alpha: 2.5 }]);
    const after = (await steered.runWithCache(prompt, { names: [name] })).cache.get(name)!;
    after.data.forEach((x, i) => expect(x).toBe(Math.fround((base.data[i] as number) + 2.5 * (v[i % config.hiddenSize] as number))));
    const zero = model.withInterventions([{ kind: 'add', hook: name, vector: v, alpha: 0 }]);
    expect(Array.from((await zero.forward(prompt)).data)).toEqual(Array.from((await model.forward(prompt)).data));
  });

  it('reads at each decode step equal the same reads from the full forward', async () => {
    const names: HookName[] = ['blocks.0.linear_attn.hook_beta', 'blocks.3.attn.hook_rot_k', 'blocks.2.hook_resid_post'];
    const seen = new Map<string, Tensor[]>();
    const r = await model.generate('', {
      promptIds: prompt, maxTokens: 5, ignoreEos: true,
      hooks: names.map((n) => [n, (t: Tensor, ctx) => void (ctx.phase === 'decode' && seen.set(n, [...(seen.get(n) ?? []), t]))] as const),
    });
    const fullIds = [...prompt, ...r.tokenIds!];
    const { cache } = await model.runWithCache(fullIds.slice(0, -1), { names });
    for (const n of names) {
      const steps = seen.get(n)!;
      expect(steps).toHaveLength(4);
      const fullAct = cache.get(n)!;
      const width = fullAct.data.length / (fullIds.length - 1);
      steps.forEach((step, s) => {
        const pos = prompt.length + s;
        expect(maxAbs(step.data, fullAct.data.subarray(pos * width, (pos + 1) * width))).toBeLessThan(1e-4);
      });
    }
  });

  it('a withInterventions view steers every decode step: its generate equals its own full forward', async () => {
    const v = Float32Array.from({ length: config.hiddenSize }, (_, i) => Math.sin(i));
    const steered = model.withInterventions([{ kind: 'add', hook: 'blocks.1.hook_resid_post', vector: v, alpha: 3 }]);
    const steps: Float32Array[] = [];
    const r = await steered.generate('', { promptIds: prompt, maxTokens: 6, ignoreEos: true, onStep: ({ logits }) => void steps.push(logits) });
    const all = [...prompt, ...r.tokenIds!];
    const full = await steered.forward(all.slice(0, -1));
    const plain = await model.forward(all.slice(0, -1));
    const V = config.vocabSize;
    let err = 0;
    let moved = 0;
    steps.forEach((row, s) => {
      const at = (prompt.length - 1 + s) * V;
      err = Math.max(err, maxAbs(row, full.data.subarray(at, at + V)));
      moved = Math.max(moved, maxAbs(row, plain.data.subarray(at, at + V)));
    });
    expect(err).toBeLessThan(1e-4);
    expect(moved).toBeGreaterThan(0.1); // the steering really acts at every step
  });

  it('throws for an unknown hook or one the layer type lacks, before running anything', async () => {
    let calls = 0;
    const count = () => void calls++;
    await expect(model.runWithHooks(prompt, { hooks: [['hook_embed', count], ['blocks.0.attn.hook_pattern', count]] })).rejects.toThrow(HookError);
    await expect(model.runWithCache(prompt, { names: ['blocks.9.hook_resid_post'] })).rejects.toThrow(/layer 9 does not exist/);
    expect(() => model.withInterventions([{ kind: 'ablate_head', hook: 'blocks.3.linear_attn.hook_z' as HookName, head: 0 }])).toThrow(HookError);
    expect(calls).toBe(0);
  });

  it('rejects a token id outside the vocabulary, and a hook that returns the wrong number of values, with InputError', async () => {
    await expect(model.forward([1, config.vocabSize])).rejects.toThrow(new InputError(`token id ${config.vocabSize} at position 1 of sequence 0 is outside the vocabulary [0, ${config.vocabSize})`));
    const short = (t: Tensor) => ({ ...t, data: t.data.subarray(1) });
    await expect(model.runWithHooks(prompt, { hooks: [['blocks.0.hook_resid_post', short]] })).rejects.toThrow(
      new InputError(`hook at blocks.0.hook_resid_post returned ${12 * config.hiddenSize - 1} values; expected ${12 * config.hiddenSize}, the size of its activation [1, 12, ${config.hiddenSize}]`),
    );
  });

  it('samples the same text for the same seed, honours stop strings, maxTokens and logprobs', async () => {
    const chat = [{ role: 'user' as const, content: 'Hello' }];
    const a = await model.generate(chat, { temperature: 1, seed: 4, maxTokens: 12, ignoreEos: true });
    const b = await model.generate(chat, { temperature: 1, seed: 4, maxTokens: 12, ignoreEos: true });
    const c = await model.generate(chat, { temperature: 1, seed: 5, maxTokens: 12, ignoreEos: true });
    expect(a.text).toBe(b.text);
    expect(c.tokenIds).not.toEqual(a.tokenIds);
    expect(a).toMatchObject({ finishReason: 'length', usage: { completionTokens: 12 } });
    const stop = a.text.slice(3, 5);
    const stopped = await model.generate(chat, { temperature: 1, seed: 4, maxTokens: 12, ignoreEos: true, stop: [stop] });
    expect(stopped.text).toBe(a.text.slice(0, a.text.indexOf(stop)));
    const withLp = await model.generate(chat, { maxTokens: 3, ignoreEos: true, logprobs: true, topLogprobs: 2 });
    expect(withLp.logprobs).toHaveLength(3);
    expect(withLp.logprobs![0]!.top![0]!.logprob).toBeCloseTo(withLp.logprobs![0]!.logprob, 10); // greedy picks the top token
  });
});
