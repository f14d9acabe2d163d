/**
 * Gated full attention (GQA): per-head [query | gate] projection, (1 + w) RMSNorm on q and k before
 * partial RoPE, causal softmax over the KV cache plus the new tokens, output * sigmoid(gate), o_proj.
 */
import type { HookName } from '@trustbench/core';
import type { KvCache } from './cache.js';
import type { Qwen35Config } from './config.js';
import type { HookRunner } from './hook-runner.js';
import { linear, sigmoid } from './internal/ops.js';
import { rmsNorm1p } from './rms-norm.js';
import { applyRope } from './rope.js';
import type { FullAttentionBlockWeights } from './weights.js';

/**
 * h [T, d_model] at absolute `positions` -> [T, d_model]; appends the new keys and values to `cache`.
 */
export function gatedAttention(
  h: Float32Array, T: number, positions: readonly number[], w: FullAttentionBlockWeights, c: Qwen35Config, cache: KvCache, hooks: HookRunner, layer: number,
): Float32Array {
  const H = c.numAttentionHeads;
  const KV = c.numKeyValueHeads;
  const D = c.headDim;
  const group = H / KV;
  const name = (p: string): HookName => `blocks.${layer}.attn.${p}` as HookName;
  const qg = linear(h, T, c.hiddenSize, w.qProj, H * 2 * D); // [T, H, 2D]: per head, D query values then D gate values
  let q: Float32Array = new Float32Array(T * H * D); // [T, H, D]
  let gate: Float32Array = new Float32Array(T * H * D); // [T, H, D]
  for (let t = 0; t < T; t++) {
    for (let hd = 0; hd < H; hd++) {
      const src = (t * H + hd) * 2 * D;
      q.set(qg.subarray(src, src + D), (t * H + hd) * D);
      gate.set(qg.subarray(src + D, src + 2 * D), (t * H + hd) * D);
    }
  }
  let k: Float32Array = linear(h, T, c.hiddenSize, w.kProj, KV * D); // [T, KV, D]
  let v: Float32Array = linear(h, T, c.hiddenSize, w.vProj, KV * D); // [T, KV, D]
  q = hooks.run(name('hook_q'), rmsNorm1p(q, D, w.qNorm, c.rmsNormEps), [1, T, H, D]); // [T, H, D]
  k = hooks.run(name('hook_k'), rmsNorm1p(k, D, w.kNorm, c.rmsNormEps), [1, T, KV, D]); // [T, KV, D]
  const rq = hooks.run(name('hook_rot_q'), applyRope(q, T, H, D, positions, c.rotaryDim, c.ropeTheta), [1, T, H, D]); // [T, H, D] after RoPE
  const rk = hooks.run(name('hook_rot_k'), applyRope(k, T, KV, D, positions, c.rotaryDim, c.ropeTheta), [1, T, KV, D]); // [T, KV, D] after RoPE
  v = hooks.run(name('hook_v'), v, [1, T, KV, D]); // [T, KV, D]
  gate = hooks.run(name('hook_gate'), gate, [1, T, H, D]); // [T, H, D] pre-sigmoid
  const past = cache.keys.length;
  for (let t = 0; t < T; t++) {
    cache.keys.push(rk.slice(t * KV * D, (t + 1) * KV * D));
    cache.values.push(v.slice(t * KV * D, (t + 1) * KV * D));
  }
  const Tk = past + T;
  let pattern: Float32Array = new Float32Array(H * T * Tk); // [H, T, Tk]; causal: query t sees keys 0..past+t
  const scale = 1 / Math.sqrt(D);
  for (let hd = 0; hd < H; hd++) {
    const kvh = Math.floor(hd / group); // GQA: query head hd reads kv head hd // group
    for (let t = 0; t < T; t++) {
      const row = pattern.subarray((hd * T + t) * Tk, (hd * T + t + 1) * Tk);
      const qo = (t * H + hd) * D;
      let m = -Infinity;
      for (let j = 0; j <= past + t; j++) {
        const key = cache.keys[j] as Float32Array;
        let s = 0;
        for (let i = 0; i < D; i++) s += (rq[qo + i] as number) * (key[kvh * D + i] as number);
        row[j] = s * scale;
        m = Math.max(m, row[j] as number);
      }
      let z = 0;
      for (let j = 0; j <= past + t; j++) z += (row[j] = Math.exp((row[j] as number) - m));
      for (let j = 0; j <= past + t; j++) row[j] = (row[j] as number) / z;
    }
  }
  pattern = hooks.run(name('hook_pattern'), pattern, [1, H, T, Tk]); // [H, T, Tk]: softmax over cached + new keys
  let zOut: Float32Array = new Float32Array(T * H * D); // [T, H, D]: per-head weighted values, before the output gate
  for (let hd = 0; hd < H; hd++) {
    const kvh = Math.floor(hd / group);
    for (let t = 0; t < T; t++) {
      const zo = (t * H + hd) * D;
      for (let j = 0; j <= past + t; j++) {
        const p = pattern[(hd * T + t) * Tk + j] as number;
        const val = cache.values[j] as Float32Array;
        for (let i = 0; i < D; i++) zOut[zo + i] = (zOut[zo + i] as number) + p * (val[kvh * D + i] as number);
      }
    }
  }
  zOut = hooks.run(name('hook_z'), zOut, [1, T, H, D]); // [T, H, D]: before the output gate
  for (let i = 0; i < zOut.length; i++) zOut[i] = (zOut[i] as number) * sigmoid(gate[i] as number);
  return linear(zOut, T, H * D, w.oProj, c.hiddenSize); // [T, d_model]
}
