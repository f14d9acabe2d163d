/**
 * RepE reading and steering against the planted checkpoint (@trustbench/signals/testing): both reading methods must
 * recover the planted direction at the planted layer, and steering against it must flip the planted behaviour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReferenceModel, loadTokenizer } from '@trustbench/model';
import { plantedCheckpoint, plantedPrompts } from '@trustbench/signals/testing';
import { describe, expect, it } from 'vitest';
import { readDirections } from './reading-vectors.js';
import { sweepSteering } from './steering-sweep.js';
import { steeringInterventions } from './steering-vector.js';
import { loadSteeringVector, saveSteeringVector } from './vector-file.js';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../../fixtures/qwen35-tiny', import.meta.url)), [500]);
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0) / Math.hypot(...a) / Math.hypot(...b);

describe.each([1, 3])('steering the planted checkpoint, planted layer %i', (plantedLayer) => {
  const planted = plantedCheckpoint({ layer: plantedLayer });
  const model = createReferenceModel({ id: `planted-${plantedLayer}`, config: planted.config, weights: planted.weights, tokenizer });
  const prompts = plantedPrompts(planted, 16, 9);
  const pairs = Array.from({ length: 16 }, (_, p) => ({ positive: prompts[2 * p]!.ids, negative: prompts[2 * p + 1]!.ids }));
  const V = planted.config.vocabSize;
  const refusalRate = async (m: typeof model) => {
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
  });

  it('steering against the direction flips the behaviour; alpha = 0 changes nothing', async () => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const curve = await sweepSteering(model, [reading!], [0, -2, -4, -8, -16], { target: refusalRate });
    console.log(`planted layer ${plantedLayer}: refusal rate by alpha ${curve.map((p) => `${p.alpha}:${p.target.toFixed(2)}`).join(' ')}`);
    expect(curve[0]!.target).toBe(1);
    const flipped = curve.find((p) => p.target === 0);
    expect(flipped).toBeDefined();
    const ids = prompts[0]!.ids;
    const zero = await model.withInterventions(steeringInterventions(reading!, 0)).forward(ids);
    expect(Array.from(zero.data)).toEqual(Array.from((await model.forward(ids)).data));
  });

  it('saves and loads a vector with its provenance', async () => {
    const [reading] = await readDirections(model, pairs, { concept: 'refusal', layers: [plantedLayer], seed: 1 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-vec-'));
    await saveSteeringVector(path.join(dir, 'refusal'), reading!, { pairs: 'planted pairs, seed 9', heldOutAccuracy: reading!.heldOutAccuracy });
    const back = await loadSteeringVector(path.join(dir, 'refusal'));
    expect(Array.from(back.vector)).toEqual(Array.from(reading!.vector));
    expect(back).toMatchObject({ layer: plantedLayer, concept: 'refusal', method: 'mean_difference', pairs: 'planted pairs, seed 9' });
    rmSync(dir, { recursive: true });
  });
});
