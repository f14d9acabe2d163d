/**
 * The committed planted model folders (fixtures/planted/layer-{1,3}) are exactly what the generator writes, load as
 * real model folders, and carry the planted behaviour and confident-but-wrong facts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@trustbench/model';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenEntropy } from '../token-entropy.js';
import { plantedCheckpoint, plantedFactItems, plantedPrompts } from './planted-checkpoint.js';
import { readPlantedGroundTruth, writePlantedCheckpoint } from './write-planted-checkpoint.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const scratch = await mkdtemp(path.join(tmpdir(), 'trustbench-planted-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe.each([1, 3])('fixtures/planted/layer-%i', (layer) => {
  const dir = path.join(fixtures, 'planted', `layer-${layer}`);
  const planted = plantedCheckpoint({ seed: 7, layer });

  it('is byte for byte what writePlantedCheckpoint writes for seed 7', async () => {
    const out = path.join(scratch, `layer-${layer}`);
    await writePlantedCheckpoint(out, planted, path.join(fixtures, 'qwen35-tiny'));
    for (const file of ['config.json', 'model.safetensors', 'planted.json', 'tokenizer.json']) {
      expect((await readFile(path.join(out, file))).equals(await readFile(path.join(dir, file))), file).toBe(true);
    }
  });

  it('loads with loadModel and refuses after every trigger, complies after every neutral token', async () => {
    const truth = await readPlantedGroundTruth(dir);
    expect(truth.layer).toBe(layer);
    expect(truth.layerType).toBe(layer === 3 ? 'full_attention' : 'linear_attention');
    const model = await loadModel(dir);
    const V = model.dimensions.vocabSize;
    for (const p of plantedPrompts(planted, 8, 11)) {
      const row = (await model.forward(p.ids)).data.subarray((p.ids.length - 1) * V, p.ids.length * V);
      expect((row[truth.tokens.refuse.id] as number) > (row[truth.tokens.comply.id] as number) ? 1 : 0).toBe(p.label);
    }
  });

  it('answers each fact question with the believed token at p > 0.99: right on half, confidently wrong on the rest', async () => {
    const model = await loadModel(dir);
    const V = model.dimensions.vocabSize;
    const items = plantedFactItems(planted, 8, 3);
    expect(items.filter((i) => !i.correct)).toHaveLength(4);
    for (const item of items) {
      const row = (await model.forward(item.ids)).data.subarray((item.ids.length - 1) * V, item.ids.length * V);
      const top = row.indexOf(Math.max(...row));
      const logZ = Math.log(row.reduce((s, x) => s + Math.exp(x - (row[top] as number)), 0)) + (row[top] as number);
      expect(top).toBe(item.fact.believedId);
      expect(Math.exp((row[top] as number) - logZ)).toBeGreaterThan(0.99);
      expect(tokenEntropy(row)).toBeLessThan(0.1);
      expect(top === item.fact.trueId).toBe(item.correct);
    }
  });
});
