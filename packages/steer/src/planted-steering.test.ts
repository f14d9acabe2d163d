/**
 * RepE reading and steering against the planted checkpoint (@trustbench/signals/testing): both reading methods must
 * recover the planted direction at the planted layer, and steering against it must flip the planted behaviour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HookName, HookSpec, WhiteBoxModel } from '@trustbench/core';
import { createReferenceModel, loadModel, loadTokenizer } from '@trustbench/model';
import { plantedCheckpoint, plantedFactItems, plantedPrompts, readPlantedGroundTruth } from '@trustbench/signals/testing';
import { describe, expect, it } from 'vitest';
import { readDirections, summariseByLayerType } from './reading-vectors.js';
import { neutralLogLikelihood, utilityAccuracy } from './side-effects.js';
import { comparePlacement, sweepSteering } from './steering-sweep.js';
import { projectOutInterventions, steeringInterventions } from './steering-vector.js';
import { loadSteeringVector, saveSteeringVector } from './vector-file.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0) / Math.hypot(...a) / Math.hypot(...b);

describe.each([1, 3])('steering the planted checkpoint, planted layer %i', (plantedLayer) => {
  const planted = plantedCheckpoint({ layer: plantedLayer });
  const model = createReferenceModel({ id: `planted-${plantedLayer}`, config: planted.config, weights: planted.weights, tokenizer });
  const prompts = plantedPrompts(planted, 16, 9);
  const pairs = Array.from({ length: 16 }, (_, p) => ({ positive: prompts[2 * p]!.ids, negative: prompts[2 * p + 1]!.ids }));
  const V = planted.config.vocabSize;
  const d = planted.config.hiddenSize;
  const refusalRate = async (m: WhiteBoxModel) => {
    let refused = 0;
    const triggers = prompts.filter((p) => p.label === 1);
    for (const p of triggers) {
      const row = (await m.forward(p.ids)).data.subarray((p.ids.length - 1) * V);
      if ((row[planted.refuseId] as number) > (row[planted.complyId] as number)) refused++;
    }
    return refused / triggers.length;
  };

  it.each(['mean_difference', 'pca'] as const)('%s recovers the planted direction (cosine > 0.9) at the planted layer', async (method) => {
    const readings = await readDirections(model, pairs, { concept: 'refusal', method, seed: 1 });
    const atLayer = readings.find((r) => r.layer === plantedLayer)!;
    const cos = cosine(atLayer.vector, planted.direction);
    console.log(`${method}, planted layer ${plantedLayer}: cosine with r by layer ${readings.map((r) => `${r.layer}(${r.layerType === 'linear_attention' ? 'DeltaNet' : 'attention'})=${cosine(r.vector, planted.direction).toFixed(3)}`).join(' ')}; held-out accuracy ${readings.map((r) => r.heldOutAccuracy.toFixed(2)).join(' ')}`);
    expect(cos).toBeGreaterThan(0.9);
    expect(atLayer.heldOutAccuracy).toBe(1);
    for (const r of readings.filter((x) => x.layer < plantedLayer)) expect(Math.abs(cosine(r.vector, planted.direction))).toBeLessThan(0.5);
    const [carrier] = summariseByLayerType(readings);
    expect(carrier).toMatchObject({ layerType: planted.config.layerTypes[plantedLayer], bestLayer: plantedLayer, bestAccuracy: 1 });
  });

  it('adds exactly alpha * v to the hooked activation in prefill; alpha = 0 reproduces the logits bit for bit', async () => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const ids = prompts[0]!.ids;
    const name = `blocks.${plantedLayer}.hook_resid_post` as HookName;
    const alpha = -2.5;
    const before = (await model.runWithCache(ids, { names: [name] })).cache.get(name)!.data;
    const after = (await model.withInterventions(steeringInterventions(reading!, alpha)).runWithCache(ids, { names: [name] })).cache.get(name)!.data;
    expect(Array.from(after)).toEqual(Array.from(before, (x, i) => Math.fround(x + alpha * reading!.vector[i % d]!)));
    const untouched = (await model.withInterventions(steeringInterventions(reading!, alpha, { positions: 'generated' })).runWithCache(ids, { names: [name] })).cache.get(name)!.data;
    expect(Array.from(untouched)).toEqual(Array.from(before));
    const zero = await model.withInterventions(steeringInterventions(reading!, 0)).forward(ids);
    expect(Array.from(zero.data)).toEqual(Array.from((await model.forward(ids)).data));
  });

  it.each(['prompt', 'generated', 'all'] as const)('steers %s positions by exactly alpha * v in prefill and every decode step', async (positions) => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const alpha = 3;
    const seen: { mid: Float32Array; mlp: Float32Array; post: Float32Array; positions: readonly number[]; promptLength: number }[] = [];
    const at = (point: string) => `blocks.${plantedLayer}.${point}` as HookName;
    const hooks: HookSpec[] = [
      [at('hook_resid_mid'), (a, ctx) => void seen.push({ mid: new Float32Array(a.data), mlp: new Float32Array(0), post: new Float32Array(0), positions: ctx.positions, promptLength: ctx.promptLength })],
      [at('hook_mlp_out'), (a) => void (seen[seen.length - 1]!.mlp = new Float32Array(a.data))],
      [at('hook_resid_post'), (a) => void (seen[seen.length - 1]!.post = new Float32Array(a.data))],
    ];
    const steered = model.withInterventions(steeringInterventions(reading!, alpha, { positions }));
    await steered.generate('', { promptIds: prompts[0]!.ids, maxTokens: 4, ignoreEos: true, hooks });
    expect(seen).toHaveLength(4); // prefill + 3 decode steps
    let edited = 0;
    for (const call of seen) {
      call.positions.forEach((p, k) => {
        const selected = positions === 'all' || (positions === 'prompt') === p < call.promptLength;
        if (selected) edited++;
        for (let i = 0; i < d; i++) {
          const unsteered = Math.fround(call.mid[k * d + i]! + call.mlp[k * d + i]!);
          expect(call.post[k * d + i]).toBe(selected ? Math.fround(unsteered + alpha * reading!.vector[i]!) : unsteered);
        }
      });
    }
    const promptLength = prompts[0]!.ids.length;
    expect(edited).toBe({ prompt: promptLength, generated: 3, all: promptLength + 3 }[positions]);
  });

  it('projecting the direction out leaves no component along it', async () => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const name = `blocks.${plantedLayer}.hook_resid_post` as HookName;
    const ids = prompts[0]!.ids;
    const after = (await model.withInterventions(projectOutInterventions(reading!)).runWithCache(ids, { names: [name] })).cache.get(name)!.data;
    for (let p = 0; p < ids.length; p++) expect(Math.abs(cosine(after.subarray(p * d, (p + 1) * d), reading!.vector))).toBeLessThan(1e-5);
  });

  it('steering against the direction flips the behaviour; sweeps alpha x layer with side effects', async () => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const neutral = prompts.filter((p) => p.label === 0).slice(0, 8).map((p) => p.ids.slice(0, -1)); // filler text without the cue
    // Utility: the planted fact questions scored against the key (the model believes the wrong answer for half of them).
    const facts = plantedFactItems(planted, 8, 4).map(({ ids, fact }) => ({
      context: ids, choices: [[fact.trueId], [fact.believedId === fact.trueId ? 380 + ((fact.trueId - 379) % 8) : fact.believedId]], answer: 0,
    }));
    const sideEffects = { neutralLL: neutralLogLikelihood(neutral), factAccuracy: utilityAccuracy(facts) };
    const curve = await sweepSteering(model, [reading!], { alphas: [0, -2, -4, -8, -16], layers: [0, 1, 2, 3], target: refusalRate, sideEffects, projectOut: true });
    for (const p of curve) console.log(`planted ${plantedLayer}: steer layer ${p.layer} (${p.layerType}) ${p.edit} alpha ${p.alpha}: refusal ${p.target.toFixed(2)} neutralLL ${p.sideEffects['neutralLL']!.toFixed(4)} factAcc ${p.sideEffects['factAccuracy']!.toFixed(2)}`);
    const base = { neutralLL: await sideEffects.neutralLL(model), factAccuracy: await sideEffects.factAccuracy(model) };
    expect(base.factAccuracy).toBe(0.5);
    for (const p of curve.filter((x) => x.alpha === 0)) {
      expect(p.target).toBe(1);
      expect(p.sideEffects).toEqual(base);
    }
    const atPlanted = curve.filter((p) => p.layer === plantedLayer && p.edit === 'add');
    const flip = atPlanted.find((p) => p.target === 0);
    expect(flip).toBeDefined();
    console.log(`planted layer ${plantedLayer}: refusal rate at the planted layer by alpha ${atPlanted.map((p) => `${p.alpha}:${p.target.toFixed(2)}`).join(' ')}; flips at alpha ${flip!.alpha}`);
    const placement = comparePlacement(curve, { at: 0, lower: true });
    console.log(`placement: ${placement.map((s) => `${s.layerType} layers ${s.layersReaching.join(',')} of ${s.layers.join(',')} reach 0, gentlest alpha ${s.gentlest?.alpha} at layer ${s.gentlest?.layer}`).join('; ')}`);
    expect(placement.map((s) => s.layerType).sort()).toEqual(['full_attention', 'linear_attention']);
    expect(placement.find((s) => s.layerType === planted.config.layerTypes[plantedLayer])!.layersReaching).toContain(plantedLayer);
  });

  it('saves and loads a vector with its provenance', async () => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-vec-'));
    await saveSteeringVector(path.join(dir, 'refusal'), reading!, { pairs: 'planted pairs, seed 9' });
    const back = await loadSteeringVector(path.join(dir, 'refusal'));
    expect(Array.from(back.vector)).toEqual(Array.from(reading!.vector));
    expect(back).toEqual({
      modelId: model.id, layer: plantedLayer, layerType: planted.config.layerTypes[plantedLayer], concept: 'refusal', method: 'mean_difference',
      pairs: 'planted pairs, seed 9', heldOutAccuracy: reading!.heldOutAccuracy, seed: 1, dModel: d, vector: back.vector,
    });
    rmSync(dir, { recursive: true });
  });
});

describe.each(['layer-1', 'layer-3'])('from the saved folder fixtures/planted/%s', (folder) => {
  it('reads r with both methods, saves the vector, and the loaded vector flips the behaviour', async () => {
    const dir = fileURLToPath(new URL(`../../../fixtures/planted/${folder}`, import.meta.url));
    const [model, truth] = await Promise.all([loadModel(dir), readPlantedGroundTruth(dir)]);
    const r = Float32Array.from(truth.direction);
    const filler = (k: number) => Array.from({ length: 6 }, (_, i) => (37 * k + 11 * i) % 256);
    const pairs = Array.from({ length: 12 }, (_, k) => ({
      id: `p${k}`, positive: [...filler(k), truth.tokens.trigger[k % 8]!.id], negative: [...filler(k), truth.tokens.neutral[(k + 3) % 8]!.id],
    }));
    const set = { concept: 'planted-refusal', version: 1, provenance: `fixtures/planted/${folder}, filler pairs`, pairs };
    for (const method of ['mean_difference', 'pca'] as const) {
      const [reading] = await readDirections(model, set, { method, layers: [truth.layer], seed: 3 });
      console.log(`${folder} ${method}: cosine with planted r ${cosine(reading!.vector, r).toFixed(3)}, held-out accuracy ${reading!.heldOutAccuracy}`);
      expect(cosine(reading!.vector, r)).toBeGreaterThan(0.9);
    }
    const [reading] = await readDirections(model, set, { layers: [truth.layer], seed: 3 });
    const out = mkdtempSync(path.join(os.tmpdir(), 'tb-vec-'));
    await saveSteeringVector(path.join(out, 'v'), reading!);
    const vector = await loadSteeringVector(path.join(out, 'v'));
    rmSync(out, { recursive: true });
    expect(vector.pairs).toBe(set.provenance);
    const prefers = async (m: WhiteBoxModel, ids: number[]) => {
      const logits = (await m.forward(ids)).data.subarray((ids.length - 1) * model.dimensions.vocabSize);
      return logits[truth.tokens.refuse.id]! > logits[truth.tokens.comply.id]! ? 'refuse' : 'comply';
    };
    const probe = [...filler(99), truth.tokens.trigger[0]!.id];
    expect(await prefers(model, probe)).toBe('refuse');
    expect(await prefers(model.withInterventions(steeringInterventions(vector, -16)), probe)).toBe('comply');
  });
});
