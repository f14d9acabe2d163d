/**
 * Sequences through the whole model: embedding, blocks, final norm, and the tied (or untied) head, computed
 * only at the positions that need logits (the head is a third of the real model's FLOPs).
 *
 * A batch is packed, not padded: the rows of every sequence sit one after another in one [rows, d_model]
 * array, so the projections, norms and MLPs read each weight once for the whole batch, while each mixer
 * (attention, DeltaNet) runs on its own sequence's rows with its own caches. No pad ever enters a
 * computation, and every output row has the same bits as when its sequence runs alone (`linear` sums each
 * output in the same order whatever the row count).
 */
import { AbortError } from '@trustbench/core';
import type { SequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { block, type Segment } from './block.js';
import { runPerSequence, type HookRunner } from './hook-runner.js';
import { checkTokenId } from './internal/batch-tensors.js';
import { linear } from './internal/ops.js';
import { rmsNorm1p } from './rms-norm.js';
import type { Qwen35Weights } from './weights.js';

/** One sequence of a packed batch: new token ids, the state they continue from, and its hooks. */
export interface SequenceRun {
  readonly ids: readonly number[];
  /** Position and caches; advanced by the call. */
  readonly state: SequenceState;
  readonly hooks: HookRunner;
  /** Indices into `ids` whose logits are wanted (e.g. only the last for generation). */
  readonly logitRows: readonly number[];
}

/**
 * Runs a packed batch of sequences, advancing each one's state.
 *
 * @returns per sequence, logits [logitRows.length, vocab]
 * @throws {InputError} for a token id outside the vocabulary.
 * @throws {AbortError} when `signal` is aborted (checked before every block).
 * @example
 * const [logits] = forwardBatch([{ ids, state: createSequenceState(config), hooks, logitRows: [ids.length - 1] }], weights, config);
 */
export function forwardBatch(runs: readonly SequenceRun[], weights: Qwen35Weights, c: Qwen35Config, signal?: AbortSignal): Float32Array[] {
  const d = c.hiddenSize;
  let start = 0;
  const segments: Segment[] = runs.map((r) => {
    const seg = { start, T: r.ids.length, positions: r.ids.map((_, t) => r.state.position + t), state: r.state, hooks: r.hooks };
    start += r.ids.length;
    return seg;
  });
  const rows = start;
  let x: Float32Array = new Float32Array(rows * d); // [rows, d_model]: every sequence's tokens, packed
  runs.forEach((r, s) =>
    r.ids.forEach((id, t) => {
      checkTokenId(id, t, s, c.vocabSize);
      x.set(weights.embedTokens.subarray(id * d, (id + 1) * d), ((segments[s] as Segment).start + t) * d);
    }),
  );
  x = runPerSequence('hook_embed', x, segments, d);
  weights.blocks.forEach((w, layer) => {
    if (signal?.aborted) throw new AbortError(`forward aborted before layer ${layer}`);
    x = block(x, rows, segments, w, c, layer);
  });
  runs.forEach((r) => (r.state.position += r.ids.length));
  const picked = runs.flatMap((r, s) => r.logitRows.map((t) => (segments[s] as Segment).start + t));
  const selected = new Float32Array(picked.length * d); // [n, d_model]
  picked.forEach((row, i) => selected.set(x.subarray(row * d, (row + 1) * d), i * d));
  const heads = segmentsOf(runs.map((r) => r.logitRows.length), runs.map((r) => r.hooks));
  const normed = runPerSequence('ln_final.hook_normalized', rmsNorm1p(selected, d, weights.finalNorm, c.rmsNormEps), heads, d); // [n, d_model]
  const logits = runPerSequence('hook_logits', linear(normed, picked.length, d, weights.lmHead, c.vocabSize), heads, c.vocabSize); // [n, vocab]
  return heads.map((h) => logits.slice(h.start * c.vocabSize, (h.start + h.T) * c.vocabSize));
}

/**
 * One sequence from `state`, advancing it.
 *
 * @returns logits [logitRows.length, vocab]
 * @example
 * const logits = forwardSequence(ids, createSequenceState(config), weights, config, hooks, [ids.length - 1]);
 */
export function forwardSequence(ids: readonly number[], state: SequenceState, weights: Qwen35Weights, c: Qwen35Config, hooks: HookRunner, logitRows: readonly number[], signal?: AbortSignal): Float32Array {
  return forwardBatch([{ ids, state, hooks, logitRows }], weights, c, signal)[0] as Float32Array;
}

function segmentsOf(lengths: readonly number[], hooks: readonly HookRunner[]): { start: number; T: number; hooks: HookRunner }[] {
  let start = 0;
  return lengths.map((T, s) => {
    const seg = { start, T, hooks: hooks[s] as HookRunner };
    start += T;
    return seg;
  });
}
