/**
 * Hooks on the onnx engine against the reference engine, both directions: every hook read (extra core outputs and
 * block boundaries), hook functions that edit activations (inside a mixer the core splits at each of them), and
 * every declarative intervention kind compiled into the cores with run-time values, in prefill and decode.
 */
import { fileURLToPath } from 'node:url';
import { HookError, tensor, type HookName, type HookSpec, type Intervention, type Tensor } from '@trustbench/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createReferenceModel } from '../model.js';
import { randomQwen35Weights, tinyQwen35Config } from '../testing/random-checkpoint.js';
import { loadTokenizer } from '../tokenizer.js';
import { createOnnxModel } from './onnx-model.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const config = tinyQwen35Config({ vocabSize: 512, linearNumKeyHeads: 2, linearNumValueHeads: 4, linearKeyHeadDim: 8, linearValueHeadDim: 12 });
const weights = randomQwen35Weights(config, 3);
const reference = createReferenceModel({ id: 'ref', config, weights, tokenizer });
const model = await createOnnxModel({ id: 'onnx', config, weights, tokenizer });
afterAll(() => model.release());
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
const prompt = Array.from({ length: 12 }, (_, i) => (i * 37 + 11) % 500);
const batch = [prompt, prompt.slice(2, 7)];
const wave = (n: number, f = 1) => Float32Array.from({ length: n }, (_, i) => Math.sin(f * i + 0.3));

describe('onnx hooks vs the reference engine', () => {
  it('every hook read, for a batch of two sequences, within 1e-4', async () => {
    const names = model.hookNames;
    const [a, b] = [await model.runWithCache(batch, { names }), await reference.runWithCache(batch, { names })];
    let worst = 0;
    for (const n of names) {
      expect(a.cache.get(n)!.shape, n).toEqual(b.cache.get(n)!.shape);
      const err = maxAbs(a.cache.get(n)!.data, b.cache.get(n)!.data);
      worst = Math.max(worst, err);
      expect(err, n).toBeLessThan(1e-4);
    }
    console.log(`onnx hook reads: ${names.length} points, max |err| ${worst.toExponential(2)}`);
    expect(maxAbs(a.logits.data, b.logits.data)).toBeLessThan(1e-4);
  });

  it('hook functions editing inside both mixers and at block and global points, within 1e-4', async () => {
    const hooks: HookSpec[] = [
      ['hook_embed', (t: Tensor) => tensor(t.data.map((x) => 1.1 * x), t.shape)],
      ['blocks.0.linear_attn.hook_beta', (t: Tensor) => tensor(t.data.map((x) => 0.5 * x), t.shape)],
      ['blocks.1.linear_attn.hook_decay', (t: Tensor) => tensor(t.data.map((x, i) => (i % 3 === 0 ? 0.9 * x : x)), t.shape)],
      ['blocks.2.linear_attn.hook_state', (t: Tensor) => tensor(t.data.map((x) => 0.7 * x), t.shape)],
      ['blocks.3.attn.hook_pattern', (t: Tensor) => tensor(t.data.map((x, i) => (i % 5 === 0 ? 0 : x)), t.shape)],
      ['blocks.2.hook_resid_mid', (t: Tensor) => tensor(t.data.map((x) => x + 0.1), t.shape)],
      ['ln_final.hook_normalized', (t: Tensor) => tensor(t.data.map((x) => -x), t.shape)],
    ];
    const [a, b] = [await model.runWithHooks(batch, { hooks }), await reference.runWithHooks(batch, { hooks })];
    const plain = await reference.forward(batch);
    expect(maxAbs(b.logits.data, plain.data)).toBeGreaterThan(0.1);
    expect(maxAbs(a.logits.data, b.logits.data)).toBeLessThan(1e-4);
  });

  it('a mixer split at several hook functions: each sees the value after the interventions and the edits upstream, in prefill and decode', async () => {
    const points = [
      ['blocks.0.linear_attn.hook_q', 0.8], ['blocks.0.linear_attn.hook_beta', 0.6], ['blocks.0.linear_attn.hook_recurrence_out', 1.3],
      ['blocks.3.attn.hook_rot_k', 0.9], ['blocks.3.attn.hook_pattern', 0.95], ['blocks.3.attn.hook_z', 1.2],
    ] as const;
    /** Hooks that scale their point and record what they saw, in call order. */
    const recording = () => {
      const seen: { call: string; data: Float32Array }[] = [];
      const hooks: HookSpec[] = points.map(([name, f]) => [name, (t: Tensor, ctx: { phase: string }) => {
        seen.push({ call: `${ctx.phase}:${name}`, data: new Float32Array(t.data) });
        return tensor(t.data.map((x) => f * x), t.shape);
      }]);
      return { seen, hooks };
    };
    const ivs: Intervention[] = [{ kind: 'add', hook: 'blocks.0.linear_attn.hook_beta', vector: wave(4), alpha: 0.1 }, { kind: 'project_out', hook: 'blocks.3.attn.hook_z', vector: wave(16) }];
    const [a, b] = [model.withInterventions(ivs), reference.withInterventions(ivs)];
    const [ha, hb] = [recording(), recording()];
    const [ra, rb] = [await a.runWithHooks(batch, { hooks: ha.hooks }), await b.runWithHooks(batch, { hooks: hb.hooks })];
    expect(maxAbs(ra.logits.data, (await a.forward(batch)).data)).toBeGreaterThan(0.1); // the functions really act
    expect(maxAbs(ra.logits.data, rb.logits.data)).toBeLessThan(1e-4);
    expect(ha.seen).toHaveLength(2 * points.length); // each function once per sequence
    expect(ha.seen.map((x) => x.call)).toEqual(hb.seen.map((x) => x.call)); // in the reference's order
    ha.seen.forEach((x, i) => expect(maxAbs(x.data, hb.seen[i]!.data), x.call).toBeLessThan(1e-4));
    const [ga, gb] = [recording(), recording()];
    const stepsA: Float32Array[] = [];
    const stepsB: Float32Array[] = [];
    const outA = await a.generate('', { promptIds: prompt, maxTokens: 3, ignoreEos: true, hooks: ga.hooks, onStep: ({ logits }) => void stepsA.push(logits) });
    const outB = await b.generate('', { promptIds: prompt, maxTokens: 3, ignoreEos: true, hooks: gb.hooks, onStep: ({ logits }) => void stepsB.push(logits) });
    expect(outA.tokenIds).toEqual(outB.tokenIds);
    expect(ga.seen.map((x) => x.call)).toEqual(gb.seen.map((x) => x.call));
    expect(ga.seen.filter((x) => x.call.startsWith('decode:'))).toHaveLength(2 * points.length);
    ga.seen.forEach((x, i) => expect(maxAbs(x.data, gb.seen[i]!.data), x.call).toBeLessThan(1e-4));
    expect(Math.max(...stepsA.map((x, i) => maxAbs(x, stepsB[i]!)))).toBeLessThan(1e-4);
  });

  const interventions: [string, Intervention[]][] = [
    ['add (DeltaNet v, last position)', [{ kind: 'add', hook: 'blocks.0.linear_attn.hook_v', vector: wave(12), alpha: 2, positions: 'last' }]],
    ['add + project_out (resid_post, mlp_out)', [{ kind: 'add', hook: 'blocks.1.hook_resid_post', vector: wave(32), alpha: 3 }, { kind: 'project_out', hook: 'blocks.2.hook_mlp_out', vector: wave(32, 2) }]],
    ['project_out (attention rot_q)', [{ kind: 'project_out', hook: 'blocks.3.attn.hook_rot_q', vector: wave(16, 3) }]],
    ['ablate_head (attention z, DeltaNet recurrence_out)', [{ kind: 'ablate_head', hook: 'blocks.3.attn.hook_z', head: 1 }, { kind: 'ablate_head', hook: 'blocks.1.linear_attn.hook_recurrence_out', head: 2 }]],
    ['patch (DeltaNet beta, prompt positions 1 and 3)', [{ kind: 'patch', hook: 'blocks.2.linear_attn.hook_beta', value: tensor(Float32Array.of(0.1, 0.9, 0.2, 0.3, 0.5, 0.5, 0.5, 0.5), [1, 2, 4]), positions: [1, 3] }]],
    ['add on decay in decode only, two edits on one point', [{ kind: 'add', hook: 'blocks.1.linear_attn.hook_decay', vector: wave(4).map((x) => 1.5 + x), alpha: 0.05, phases: ['decode'] }, { kind: 'add', hook: 'blocks.1.linear_attn.hook_decay', vector: wave(4, 2).map((x) => 1.5 + x), alpha: 0.02 }]],
  ];

  it.each(interventions)('%s: steered forward and generate within 1e-4 of the reference', async (_, ivs) => {
    const [a, b] = [model.withInterventions(ivs), reference.withInterventions(ivs)];
    const plain = await reference.forward(prompt);
    const steered = await b.forward(prompt);
    expect(maxAbs(plain.data, steered.data)).toBeGreaterThan(1e-3); // the edit really acts
    expect(maxAbs((await a.forward(prompt)).data, steered.data)).toBeLessThan(1e-4);
    const stepsA: Float32Array[] = [];
    const stepsB: Float32Array[] = [];
    const ra = await a.generate('', { promptIds: prompt, maxTokens: 4, ignoreEos: true, onStep: ({ logits }) => void stepsA.push(logits) });
    const rb = await b.generate('', { promptIds: prompt, maxTokens: 4, ignoreEos: true, onStep: ({ logits }) => void stepsB.push(logits) });
    expect(ra.tokenIds).toEqual(rb.tokenIds);
    expect(Math.max(...stepsA.map((s, i) => maxAbs(s, stepsB[i]!)))).toBeLessThan(1e-4);
  });

  it('an add with alpha = 0 inside a mixer or on the residual stream reproduces the unsteered logits exactly', async () => {
    const plain = Array.from((await model.forward(batch)).data);
    for (const hook of ['blocks.0.linear_attn.hook_q', 'blocks.3.attn.hook_v', 'blocks.1.hook_resid_pre'] as HookName[]) {
      const width = hook.endsWith('hook_q') ? 8 : hook.endsWith('hook_v') ? 16 : 32;
      const zero = model.withInterventions([{ kind: 'add', hook, vector: wave(width), alpha: 0 }]);
      expect(Array.from((await zero.forward(batch)).data), hook).toEqual(plain);
    }
  });

  it('throws for an unknown hook, a hook the layer lacks, or a bad intervention, before running anything', async () => {
    let calls = 0;
    const count = () => void calls++;
    await expect(model.runWithHooks(prompt, { hooks: [['hook_embed', count], ['blocks.0.attn.hook_pattern', count]] })).rejects.toThrow(HookError);
    await expect(model.runWithCache(prompt, { names: ['blocks.9.hook_resid_post'] })).rejects.toThrow(/layer 9 does not exist/);
    expect(() => model.withInterventions([{ kind: 'ablate_head', hook: 'blocks.3.linear_attn.hook_z' as HookName, head: 0 }])).toThrow(HookError);
    await expect(model.withInterventions([{ kind: 'add', hook: 'blocks.0.linear_attn.hook_v', vector: wave(5), alpha: 1 }]).forward(prompt)).rejects.toThrow(/vector has length 5/);
    expect(calls).toBe(0);
  });
});
