/**
 * Gated DeltaNet linear attention: q|k|v projection through a causal depthwise conv + SiLU, beta and
 * log-decay gates, L2-normalised q and k (q also scaled by 1/sqrt(dk)), the gated delta rule per value
 * head (value head h reads key head h // (nv / nk)), a gated RMSNorm (normalise, * weight, * silu(z)),
 * and out_proj.
 */
import type { HookName } from '@trustbench/core';
import type { DeltaNetState } from './cache.js';
import type { Qwen35Config } from './config.js';
import { chunkedDeltaRule, recurrentDeltaRule } from './delta-rule.js';
import type { HookRunner } from './hook-runner.js';
import { linear, sigmoid, silu, softplus } from './internal/ops.js';
import { gatedRmsNorm } from './rms-norm.js';
import { convDim } from './weight-map.js';
import type { LinearAttentionBlockWeights } from './weights.js';

/**
 * h [T, d_model] -> [T, d_model], updating the conv window and recurrent state in `state`.
 * Prefill (T > 1) uses the chunked delta rule, single-token decode the recurrence.
 */
export function gatedDeltaNet(h: Float32Array, T: number, w: LinearAttentionBlockWeights, c: Qwen35Config, state: DeltaNetState, hooks: HookRunner, layer: number): Float32Array {
  const nk = c.linearNumKeyHeads;
  const nv = c.linearNumValueHeads;
  const dk = c.linearKeyHeadDim;
  const dv = c.linearValueHeadDim;
  const C = convDim(c);
  const name = (p: string): HookName => `blocks.${layer}.linear_attn.${p}` as HookName;
  const mixed = linear(h, T, c.hiddenSize, w.inProjQkv, C); // [T, conv_dim]: q | k | v, head-major
  let z = linear(h, T, c.hiddenSize, w.inProjZ, nv * dv); // [T, nv, dv]
  const b = linear(h, T, c.hiddenSize, w.inProjB, nv); // [T, nv]
  const a = linear(h, T, c.hiddenSize, w.inProjA, nv); // [T, nv]
  const conv = hooks.run(name('hook_conv_out'), causalConv(mixed, T, C, w.conv1d, c.linearConvKernelDim, state), [1, T, C]); // [T, conv_dim]
  let q: Float32Array = new Float32Array(T * nk * dk); // [T, nk, dk]
  let k: Float32Array = new Float32Array(T * nk * dk); // [T, nk, dk]
  let v: Float32Array = new Float32Array(T * nv * dv); // [T, nv, dv]
  for (let t = 0; t < T; t++) {
    q.set(conv.subarray(t * C, t * C + nk * dk), t * nk * dk);
    k.set(conv.subarray(t * C + nk * dk, t * C + 2 * nk * dk), t * nk * dk);
    v.set(conv.subarray(t * C + 2 * nk * dk, (t + 1) * C), t * nv * dv);
  }
  l2NormRows(q, dk, 1 / Math.sqrt(dk));
  l2NormRows(k, dk, 1);
  q = hooks.run(name('hook_q'), q, [1, T, nk, dk]); // [T, nk, dk]: L2-normed, / sqrt(dk)
  k = hooks.run(name('hook_k'), k, [1, T, nk, dk]); // [T, nk, dk]: L2-normed
  v = hooks.run(name('hook_v'), v, [1, T, nv, dv]); // [T, nv, dv]
  let beta: Float32Array = b.map(sigmoid); // [T, nv]
  let g: Float32Array = new Float32Array(T * nv); // [T, nv]: log-decay, <= 0
  for (let t = 0; t < T; t++) {
    for (let hv = 0; hv < nv; hv++) g[t * nv + hv] = -Math.exp(w.aLog[hv] as number) * softplus((a[t * nv + hv] as number) + (w.dtBias[hv] as number));
  }
  beta = hooks.run(name('hook_beta'), beta, [1, T, nv]); // [T, nv]
  g = hooks.run(name('hook_log_decay'), g, [1, T, nv]); // [T, nv]: g <= 0
  if (hooks.wants(name('hook_decay'))) {
    const decay = g.map(Math.exp); // [T, nv]
    const seen = Float32Array.from(decay);
    const after = hooks.run(name('hook_decay'), decay, [1, T, nv]); // [T, nv]: exp(g)
    g = g.map((x, i) => (after[i] === seen[i] ? x : Math.log(after[i] as number))); // only edited decays move g, so a read-only hook is exact
  }
  const o = deltaRuleAllHeads(q, k, v, beta, g, T, c, state, T > 1); // [T, nv, dv]
  const out = hooks.run(name('hook_recurrence_out'), o, [1, T, nv, dv]); // [T, nv, dv]: before the gated norm
  if (hooks.wants(name('hook_state'))) state.state = new Float32Array(hooks.run(name('hook_state'), state.state, [1, nv, dk, dv])); // [nv, dk, dv]
  z = hooks.run(name('hook_gate'), z, [1, T, nv, dv]); // [T, nv, dv]: z
  const y = gatedRmsNorm(out, z, dv, w.norm, c.rmsNormEps); // [T, nv, dv]: normalise per head, * weight, * silu(z)
  return linear(y, T, nv * dv, w.outProj, c.hiddenSize); // [T, d_model]
}

/** Causal depthwise conv over [window ++ x] then SiLU; the window keeps the last kernel-1 pre-conv rows. */
function causalConv(x: Float32Array, T: number, C: number, weight: Float32Array, K: number, state: DeltaNetState): Float32Array {
  const rows = new Float32Array((K - 1 + T) * C); // [K-1+T, C]: past pre-conv rows, then this call's
  rows.set(state.conv);
  rows.set(x, (K - 1) * C);
  const y = new Float32Array(T * C); // [T, C]
  for (let t = 0; t < T; t++) {
    for (let ch = 0; ch < C; ch++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += (weight[ch * K + j] as number) * (rows[(t + j) * C + ch] as number); // tap K-1 is the current token
      y[t * C + ch] = silu(s);
    }
  }
  state.conv = rows.slice(T * C);
  return y;
}

/** Each row of `dim` values: x / sqrt(sum(x^2) + 1e-6) * scale. */
function l2NormRows(x: Float32Array, dim: number, scale: number): void {
  for (let o = 0; o < x.length; o += dim) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += (x[o + i] as number) ** 2;
    const inv = scale / Math.sqrt(ss + 1e-6);
    for (let i = 0; i < dim; i++) x[o + i] = (x[o + i] as number) * inv;
  }
}

function deltaRuleAllHeads(q: Float32Array, k: Float32Array, v: Float32Array, beta: Float32Array, g: Float32Array, T: number, c: Qwen35Config, state: DeltaNetState, chunked: boolean): Float32Array {
  const nk = c.linearNumKeyHeads;
  const nv = c.linearNumValueHeads;
  const dk = c.linearKeyHeadDim;
  const dv = c.linearValueHeadDim;
  const perKey = nv / nk;
  const o = new Float32Array(T * nv * dv); // [T, nv, dv]
  for (let hv = 0; hv < nv; hv++) {
    const hk = Math.floor(hv / perKey); // value head hv reads key head hv // (nv / nk)
    const head = {
      q: gather(q, T, nk, dk, hk), // [T, dk]
      k: gather(k, T, nk, dk, hk), // [T, dk]
      v: gather(v, T, nv, dv, hv), // [T, dv]
      beta: gather(beta, T, nv, 1, hv), // [T]
      g: gather(g, T, nv, 1, hv), // [T]
      T, dk, dv,
    };
    const S = state.state.subarray(hv * dk * dv, (hv + 1) * dk * dv); // [dk, dv], updated in place
    const oh = chunked ? chunkedDeltaRule(head, S) : recurrentDeltaRule(head, S);
    for (let t = 0; t < T; t++) o.set(oh.subarray(t * dv, (t + 1) * dv), (t * nv + hv) * dv);
  }
  return o;
}

/** Head `h` of x [T, heads, dim] as a contiguous [T, dim]. */
function gather(x: Float32Array, T: number, heads: number, dim: number, h: number): Float32Array {
  const out = new Float32Array(T * dim);
  for (let t = 0; t < T; t++) out.set(x.subarray((t * heads + h) * dim, (t * heads + h + 1) * dim), t * dim);
  return out;
}
