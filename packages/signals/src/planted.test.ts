/**
 * Signals against the planted checkpoint: they must find the planted layer and behaviour, for a planted Gated DeltaNet
 * layer and for a planted full-attention layer.
 */
import { fileURLToPath } from 'node:url';
import type { HookName } from '@trustbench/core';
import { createReferenceModel, loadTokenizer } from '@trustbench/model';
import { describe, expect, it } from 'vitest';
import { ablationEffects } from './ablation.js';
import { patchLastPosition } from './activation-patching.js';
import { directLogitAttribution } from './logit-attribution.js';
import { probeLayers } from './probe.js';
import { plantedCheckpoint, plantedFactItems, plantedPrompts } from './testing/planted-checkpoint.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);

describe.each([1, 3])('planted checkpoint, planted layer %i', (plantedLayer) => {
  const planted = plantedCheckpoint({ layer: plantedLayer });
  const model = createReferenceModel({ id: `planted-${plantedLayer}`, config: planted.config, weights: planted.weights, tokenizer });
  const prompts = plantedPrompts(planted, 20, 5);
  const diff = (row: Float32Array) => (row[planted.refuseId] as number) - (row[planted.complyId] as number);
  const V = planted.config.vocabSize;

  it('has the planted behaviour: refuse after a trigger, comply after a neutral token', async () => {
    for (const p of prompts) {
      const logits = await model.forward(p.ids);
      const d = diff(logits.data.subarray((p.ids.length - 1) * V));
      expect(d > 0 ? 1 : 0).toBe(p.label);
    }
  });

  it('direct logit attribution points at the planted layer\'s MLP and sums to the logit difference', async () => {
    const p = prompts[0]!;
    const a = await directLogitAttribution(model, p.ids, { target: planted.refuseId, baseline: planted.complyId, unembed: planted.weights.lmHead, finalNorm: planted.weights.finalNorm });
    const contributions = a.layers.flatMap((l) => [{ where: `${l.layer}.mixer`, v: l.mixer }, { where: `${l.layer}.mlp`, v: l.mlp }]);
    const top = contributions.reduce((x, y) => (Math.abs(y.v) > Math.abs(x.v) ? y : x));
    expect(top.where).toBe(`${plantedLayer}.mlp`);
    const total = a.embed + contributions.reduce((s, c) => s + c.v, 0);
    expect(total).toBeCloseTo(a.logitDifference, 3);
  });

  it('patching the planted MLP output restores the behaviour; other components do not', async () => {
    const [clean, corrupted] = [prompts[0]!, prompts[1]!];
    const hooks = planted.config.layerTypes.flatMap((_, i) => [`blocks.${i}.hook_attn_out`, `blocks.${i}.hook_mlp_out`] as HookName[]);
    const r = await patchLastPosition(model, clean.ids, corrupted.ids, hooks, diff);
    const best = r.effects.reduce((x, y) => (y.restored > x.restored ? y : x));
    expect(best.hook).toBe(`blocks.${plantedLayer}.hook_mlp_out`);
    expect(best.restored).toBeGreaterThan(0.8);
    for (const e of r.effects) if (e.hook !== best.hook) expect(Math.abs(e.restored)).toBeLessThan(0.1);
  });

  it('probes separate the labels near 1.0 from the planted layer on, and sit near chance with shuffled labels', async () => {
    const split = prompts.map((p) => (p.pair % 2 === 0 ? 'train' : 'test') as const);
    const real = await probeLayers(model, prompts.map((p) => p.ids), prompts.map((p) => p.label), split, { seed: 1 });
    for (const l of real.filter((x) => x.layer >= plantedLayer)) expect(l.auroc).toBeGreaterThan(0.95);
    const shuffled = prompts.map((_, k) => ((k * 7) % 5 < 2 ? 1 : 0) as 0 | 1); // labels unrelated to the trigger
    const chance = await probeLayers(model, prompts.map((p) => p.ids), shuffled, split, { seed: 1 });
    for (const l of chance) expect(l.accuracy).toBeLessThan(0.8);
    console.log(`planted layer ${plantedLayer}: probe AUROC by layer ${real.map((l) => `${l.layer}(${l.layerType === 'linear_attention' ? 'DeltaNet' : 'attention'})=${l.auroc.toFixed(2)}`).join(' ')}; shuffled accuracy ${chance.map((l) => l.accuracy.toFixed(2)).join(' ')}`);
  });
});

describe('planted confident-but-wrong facts', () => {
  it('a correctness probe finds them (AUROC near 1 at every layer) although output confidence cannot', async () => {
    const planted = plantedCheckpoint({ layer: 1 });
    const model = createReferenceModel({ id: 'planted-1', config: planted.config, weights: planted.weights, tokenizer });
    const items = plantedFactItems(planted, 32, 4);
    const split = items.map((_, k) => (k < 16 ? 'train' : 'test') as const);
    const probes = await probeLayers(model, items.map((i) => i.ids), items.map((i) => (i.correct ? 0 : 1)), split, { seed: 1 });
    for (const p of probes) expect(p.auroc).toBeGreaterThan(0.95);
  });
});

describe.each([1, 3])('ablation on the planted checkpoint, planted layer %i', (plantedLayer) => {
  it('removing the planted MLP erases the behaviour; no mixer or head matters much', async () => {
    const planted = plantedCheckpoint({ layer: plantedLayer });
    const model = createReferenceModel({ id: `planted-${plantedLayer}`, config: planted.config, weights: planted.weights, tokenizer });
    const p = plantedPrompts(planted, 1, 5)[0]!;
    const diff = (row: Float32Array) => (row[planted.refuseId] as number) - (row[planted.complyId] as number);
    const { clean, effects } = await ablationEffects(model, p.ids, diff, { heads: true });
    expect(clean).toBeGreaterThan(1);
    const top = effects.reduce((x, y) => (Math.abs(y.effect) > Math.abs(x.effect) ? y : x));
    expect(top).toMatchObject({ layer: plantedLayer, component: 'mlp' });
    expect(clean + top.effect).toBeLessThan(0.1 * clean);
    expect(effects.filter((e) => e.component === 'head')).toHaveLength(3 * planted.config.linearNumValueHeads + planted.config.numAttentionHeads);
    for (const e of effects) if (e !== top) expect(Math.abs(e.effect)).toBeLessThan(0.1 * clean);
  });
});
