/**
 * One decoder block: pre-norm residual around the mixer (Gated DeltaNet or gated attention), then
 * pre-norm residual around the SwiGLU MLP.
 *
 *   mid  = resid_pre + mixer(RMSNorm1p(resid_pre))     hook_attn_out, hook_resid_mid
 *   post = mid + MLP(RMSNorm1p(mid))                   hook_mlp_out, hook_resid_post
 *
 * The rows of a packed batch go through the norms and the MLP together; the mixer runs per sequence.
 */
import type { HookName } from '@trustbench/core';
import type { SequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { gatedAttention } from './gated-attention.js';
import { gatedDeltaNet } from './gated-delta-net.js';
import { runPerSequence, type HookRunner } from './hook-runner.js';
import { addInPlace } from './internal/ops.js';
import { mlp } from './mlp.js';
import { rmsNorm1p } from './rms-norm.js';
import type { BlockWeights } from './weights.js';

/** Where one sequence's rows sit in a packed batch, with its absolute positions, state and hooks. */
export interface Segment {
  readonly start: number;
  readonly T: number;
  readonly positions: readonly number[];
  readonly state: SequenceState;
  readonly hooks: HookRunner;
}

/** x [rows, d_model] (a packed batch) -> [rows, d_model] through block `layer`. */
export function block(x: Float32Array, rows: number, segments: readonly Segment[], w: BlockWeights, c: Qwen35Config, layer: number): Float32Array {
  const d = c.hiddenSize;
  const name = (p: string): HookName => `blocks.${layer}.${p}` as HookName;
  const resid = runPerSequence(name('hook_resid_pre'), new Float32Array(x), segments, d); // [rows, d_model]
  const h = rmsNorm1p(resid, d, w.inputNorm, c.rmsNormEps); // [rows, d_model]
  const mixed = new Float32Array(rows * d); // [rows, d_model]
  for (const s of segments) {
    const hs = h.subarray(s.start * d, (s.start + s.T) * d); // [T, d_model]
    const cache = s.state.layers[layer];
    const out =
      w.type === 'full_attention' && cache?.type === 'full_attention'
        ? gatedAttention(hs, s.T, s.positions, w, c, cache, s.hooks, layer)
        : w.type === 'linear_attention' && cache?.type === 'linear_attention'
          ? gatedDeltaNet(hs, s.T, w, c, cache, s.hooks, layer)
          : mismatch(layer);
    mixed.set(out, s.start * d);
  }
  addInPlace(resid, runPerSequence(name('hook_attn_out'), mixed, segments, d));
  const mid = runPerSequence(name('hook_resid_mid'), resid, segments, d); // [rows, d_model]
  const m = mlp(rmsNorm1p(mid, d, w.postAttentionNorm, c.rmsNormEps), rows, d, c.intermediateSize, w); // [rows, d_model]
  addInPlace(mid, runPerSequence(name('hook_mlp_out'), m, segments, d));
  return runPerSequence(name('hook_resid_post'), mid, segments, d);
}

function mismatch(layer: number): never {
  throw new TypeError(`layer ${layer}: its weights and its cache are of different layer types`);
}
