/**
 * One decoder block: pre-norm residual around the mixer (Gated DeltaNet or gated attention), then
 * pre-norm residual around the SwiGLU MLP.
 *
 *   mid  = resid_pre + mixer(RMSNorm1p(resid_pre))     hook_attn_out, hook_resid_mid
 *   post = mid + MLP(RMSNorm1p(mid))                   hook_mlp_out, hook_resid_post
 */
import type { HookName } from '@trustbench/core';
import type { SequenceState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { gatedAttention } from './gated-attention.js';
import { gatedDeltaNet } from './gated-delta-net.js';
import type { HookRunner } from './hook-runner.js';
import { addInPlace } from './internal/ops.js';
import { rmsNorm1p } from './rms-norm.js';
import { mlp } from './mlp.js';
import type { BlockWeights } from './weights.js';

/** x [T, d_model] -> [T, d_model] through block `layer`. */
export function block(x: Float32Array, T: number, positions: readonly number[], w: BlockWeights, c: Qwen35Config, state: SequenceState, hooks: HookRunner, layer: number): Float32Array {
  const name = (p: string): HookName => `blocks.${layer}.${p}` as HookName;
  const shape = [1, T, c.hiddenSize];
  const resid = new Float32Array(hooks.run(name('hook_resid_pre'), x, shape)); // [T, d_model]
  const h = rmsNorm1p(resid, c.hiddenSize, w.inputNorm, c.rmsNormEps); // [T, d_model]
  const cache = state.layers[layer];
  const mixed =
    w.type === 'full_attention' && cache?.type === 'full_attention'
      ? gatedAttention(h, T, positions, w, c, cache, hooks, layer)
      : w.type === 'linear_attention' && cache?.type === 'linear_attention'
        ? gatedDeltaNet(h, T, w, c, cache, hooks, layer)
        : mismatch(layer);
  addInPlace(resid, hooks.run(name('hook_attn_out'), mixed, shape));
  const mid = new Float32Array(hooks.run(name('hook_resid_mid'), resid, shape)); // [T, d_model]
  const m = mlp(rmsNorm1p(mid, c.hiddenSize, w.postAttentionNorm, c.rmsNormEps), T, c.hiddenSize, c.intermediateSize, w);
  addInPlace(mid, hooks.run(name('hook_mlp_out'), m, shape));
  return hooks.run(name('hook_resid_post'), mid, shape);
}

function mismatch(layer: number): never {
  throw new TypeError(`layer ${layer}: its weights and its cache are of different layer types`);
}
