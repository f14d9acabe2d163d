/**
 * Load time and memory of a checkpoint at the real Qwen3.5-0.8B widths (vocab 248,320, hidden 1024, DeltaNet 16 x 128,
 * attention 8 x 256, MLP 3584) with 4 of its 24 layers, stored BF16 (643 MiB; 1,287 MiB as float32). The checkpoint is
 * written once into the OS temp folder (about 30 s) and reused. Run with `npm run bench -w @trustbench/model`.
 *
 * Memory is not measured here (this process still holds the writer's freed pages); in a fresh process,
 * `process.resourceUsage().maxRSS` after `loadQwen35Weights` on this folder is the float32 size plus Node's ~50 MiB
 * baseline, because every tensor is read straight into the array it is returned in.
 */
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bench, describe } from 'vitest';
import { readQwen35Config } from '../src/config.js';
import { randomQwen35Weights, tinyQwen35Config, writeCheckpoint } from '../src/testing/random-checkpoint.js';
import { loadQwen35Weights } from '../src/weights.js';

const dir = path.join(os.tmpdir(), 'trustbench-bench-qwen35-0.8b-widths-4-layers');
const config = tinyQwen35Config({
  vocabSize: 248_320, hiddenSize: 1024, intermediateSize: 3584, numLayers: 4,
  numAttentionHeads: 8, numKeyValueHeads: 2, headDim: 256, rotaryDim: 64,
  linearNumKeyHeads: 16, linearNumValueHeads: 16, linearKeyHeadDim: 128, linearValueHeadDim: 128, eosTokenIds: [248_044],
});
if (!(await access(path.join(dir, 'model.safetensors')).then(() => true, () => false))) {
  await writeCheckpoint(dir, config, randomQwen35Weights(config, 1), { dtype: 'BF16' });
}
const loaded = await readQwen35Config(dir);

describe('loadQwen35Weights, 0.8B widths, 4 layers, BF16', () => {
  bench('load 643 MiB BF16 -> 1,287 MiB float32', async () => void (await loadQwen35Weights(dir, loaded)), { iterations: 3, warmupIterations: 0 });
});
