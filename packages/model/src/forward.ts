/**
 * One sequence through the whole model: embedding, blocks, final norm, and the tied (or untied) head,
 * computed only at the positions that need logits (the head is a third of the real model's FLOPs).
 */
import type { SequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { block } from './block.js';
import type { HookRunner } from './hook-runner.js';
import { linear } from './internal/ops.js';
import { rmsNorm1p } from './rms-norm.js';
import type { Qwen35Weights } from './weights.js';

/**
 * Runs `ids` from `state` (position, caches), advancing it.
 *
 * @param logitRows Indices into `ids` whose logits are wanted (e.g. only the last for generation).
 * @returns logits [logitRows.length, vocab]
 */
export function forwardSequence(ids: readonly number[], state: SequenceState, weights: Qwen35Weights, c: Qwen35Config, hooks: HookRunner, logitRows: readonly number[]): Float32Array {
  const T = ids.length;
  const d = c.hiddenSize;
  const positions = ids.map((_, t) => state.position + t);
  let x: Float32Array = new Float32Array(T * d); // [T, d_model]
  ids.forEach((id, t) => {
    if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) throw new RangeError(`token id ${id} at position ${t} is outside the vocabulary [0, ${c.vocabSize})`);
    x.set(weights.embedTokens.subarray(id * d, (id + 1) * d), t * d);
  });
  x = hooks.run('hook_embed', x, [1, T, d]);
  weights.blocks.forEach((w, layer) => {
    x = block(x, T, positions, w, c, state, hooks, layer);
  });
  state.position += T;
  const selected = new Float32Array(logitRows.length * d); // [n, d_model]
  logitRows.forEach((t, i) => selected.set(x.subarray(t * d, (t + 1) * d), i * d));
  const normed = hooks.run('ln_final.hook_normalized', rmsNorm1p(selected, d, weights.finalNorm, c.rmsNormEps), [1, logitRows.length, d]);
  return hooks.run('hook_logits', linear(normed, logitRows.length, d, weights.lmHead, c.vocabSize), [1, logitRows.length, c.vocabSize]); // [n, vocab]
}
