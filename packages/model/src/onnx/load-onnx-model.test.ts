/**
 * The streaming loader of the onnx engine: a sharded BF16 checkpoint loads block by block into the same model as the
 * weights handed over in memory, and a tensor of the wrong shape fails with a WeightsError naming file and tensor.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WeightsError } from '@trustbench/core';
import { afterAll, expect, it } from 'vitest';
import { randomQwen35Weights, tinyQwen35Config, toHfConfig, writeCheckpoint } from '../testing/random-checkpoint.js';
import { loadQwen35Weights } from '../weights.js';
import { loadOnnxModel } from './load-onnx-model.js';
import { createOnnxModel } from './onnx-model.js';

const fixture = fileURLToPath(new URL('../../../../fixtures/qwen35-tiny', import.meta.url));
const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function folder(config = tinyQwen35Config({ vocabSize: 512, eosTokenIds: [500] })): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tb-onnx-load-'));
  temps.push(dir);
  await writeCheckpoint(dir, config, randomQwen35Weights(config, 9), { shards: 3 });
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) await copyFile(path.join(fixture, f), path.join(dir, f));
  return dir;
}

it('streams a sharded BF16 checkpoint into the same logits as the loaded weights', async () => {
  const dir = await folder();
  const streamed = await loadOnnxModel(dir);
  const config = streamed.config;
  const held = await createOnnxModel({ id: 'held', config, weights: await loadQwen35Weights(dir, config), tokenizer: streamed.tokenizer });
  const ids = [1, 2, 3, 70, 400];
  expect(Array.from((await streamed.forward(ids)).data)).toEqual(Array.from((await held.forward(ids)).data));
  expect(streamed.id).toBe(`local:${path.resolve(dir)}`);
  await Promise.all([streamed.release(), held.release()]);
});

it('names the file and tensor when a shape does not match config.json', async () => {
  const dir = await folder();
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(toHfConfig(tinyQwen35Config({ vocabSize: 512, intermediateSize: 40 }))));
  await expect(loadOnnxModel(dir)).rejects.toThrow(WeightsError);
  await expect(loadOnnxModel(dir)).rejects.toThrow(/mlp\.gate_proj\.weight" has shape \[48, 32\], expected \[40, 32\]/);
});
