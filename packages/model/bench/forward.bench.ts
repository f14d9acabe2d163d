/**
 * Reference-engine throughput on a mid-sized random checkpoint (d_model 512, 8 layers, vocab 8192): a
 * 64-token prefill, a packed batch of four 16-token sequences, and one cached decode step.
 * Run with `npm run bench -w @trustbench/model`.
 */
import { bench, describe } from 'vitest';
import { cloneSequenceState, createSequenceState } from '../src/cache.js';
import { forwardBatch, forwardSequence } from '../src/forward.js';
import { createHookRunner } from '../src/hook-runner.js';
import { randomQwen35Weights, tinyQwen35Config } from '../src/testing/random-checkpoint.js';

const config = tinyQwen35Config({
  vocabSize: 8192, hiddenSize: 512, intermediateSize: 1536, numLayers: 8,
  numAttentionHeads: 4, numKeyValueHeads: 1, headDim: 128, rotaryDim: 32,
  linearNumKeyHeads: 4, linearNumValueHeads: 4, linearKeyHeadDim: 64, linearValueHeadDim: 64,
});
const weights = randomQwen35Weights(config, 1);
const hooks = createHookRunner({ interventions: [], hooks: [], cacheNames: new Set() }, config.layerTypes, { phase: 'prefill', positions: [], promptLength: 0 }, new Map());
const ids = Array.from({ length: 64 }, (_, i) => (i * 131 + 7) % config.vocabSize);
const decodeState = createSequenceState(config);
forwardSequence(ids, decodeState, weights, config, hooks, [63]);

describe('reference engine, d_model 512 x 8 layers', () => {
  bench('prefill 64 tokens (last logits)', () => {
    forwardSequence(ids, createSequenceState(config), weights, config, hooks, [63]);
  }, { iterations: 3 });
  bench('packed batch of 4 x 16 tokens (last logits each)', () => {
    forwardBatch([0, 1, 2, 3].map((b) => ({ ids: ids.slice(b * 16, b * 16 + 16), state: createSequenceState(config), hooks, logitRows: [15] })), weights, config);
  }, { iterations: 3 });
  bench('one cached decode step after 64 tokens', () => {
    forwardSequence([5], cloneSequenceState(decodeState), weights, config, hooks, [0]);
  }, { iterations: 5 });
});
