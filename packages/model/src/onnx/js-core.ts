/**
 * The mixer cores in plain JS, for a layer where a hook function or an intervention edits an activation inside
 * the mixer: the same steps as the reference engine's `gatedDeltaNet` / `gatedAttention` from the projections on
 * (those come from the onnx input segment), with every hook point passed through the call's `HookRunner`.
 * The delta rule, norms and RoPE are the reference engine's own functions.
 */
import type { HookName } from '@trustbench/core';
import type { DeltaNetState } from '../cache.js';
import type { Qwen35Config } from '../config.js';
import { chunkedDeltaRule, recurrentDeltaRule } from '../delta-rule.js';
import type { HookRunner } from '../hook-runner.js';
import { sigmoid, silu, softplus } from '../internal/ops.js';
import { gatedRmsNorm, rmsNorm1p } from '../rms-norm.js';
import { applyRope } from '../rope.js';
import { convDim } from '../weight-map.js';
import type { AttentionCache } from './state.js';

/** The small per-layer tensors a DeltaNet core reads. */
export interface DeltaNetSmall {
  /** [conv_dim, K]. */
  readonly conv1d: Float32Array;
  readonly aLog: Float32Array;
  readonly dtBias: Float32Array;
  readonly norm: Float32Array;
}

/** Projections [T, conv_dim], z [T, nv*dv], b, a [T, nv] -> y [T, nv*dv] (before out_proj); updates `state`. */
export function jsDeltaNetCore(
  p: { readonly mixed: Float32Array; readonly z: Float32Array; readonly b: Float32Array; readonly a: Float32Array }, T: number, w: DeltaNetSmall, c: Qwen35Config, state: DeltaNetState, hooks: HookRunner, layer: number,
): Float32Array {
  const [nk, nv, dk, dv, K] = [c.linearNumKeyHeads, c.linearNumValueHeads, c.linearKeyHeadDim, c.linearValueHeadDim, c.linearConvKernelDim];
  const C = convDim(c);
  const name = (x: string): HookName => `blocks.${layer}.linear_attn.${x}` as HookName;
  const rows = new Float32Array((K - 1 + T) * C); // [K-1+T, C]
  rows.set(state.conv);
  rows.set(p.mixed, (K - 1) * C);
  let conv: Float32Array = new Float32Array(T * C); // [T, C]
  for (let t = 0; t < T; t++) {
    for (let ch = 0; ch < C; ch++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += (w.conv1d[ch * K + j] as number) * (rows[(t + j) * C + ch] as number);
      conv[t * C + ch] = silu(s);
    }
  }
  state.conv = rows.slice(T * C);
  conv = hooks.run(name('hook_conv_out'), conv, [1, T, C]);
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
  q = hooks.run(name('hook_q'), q, [1, T, nk, dk]);
  k = hooks.run(name('hook_k'), k, [1, T, nk, dk]);
  v = hooks.run(name('hook_v'), v, [1, T, nv, dv]);
  let beta: Float32Array = p.b.map(sigmoid); // [T, nv]
  let g: Float32Array = new Float32Array(T * nv); // [T, nv]
  for (let t = 0; t < T; t++) for (let h = 0; h < nv; h++) g[t * nv + h] = -Math.exp(w.aLog[h] as number) * softplus((p.a[t * nv + h] as number) + (w.dtBias[h] as number));
  beta = hooks.run(name('hook_beta'), beta, [1, T, nv]);
  g = hooks.run(name('hook_log_decay'), g, [1, T, nv]);
  if (hooks.wants(name('hook_decay'))) {
    const decay = g.map(Math.exp);
    const seen = Float32Array.from(decay);
    const after = hooks.run(name('hook_decay'), decay, [1, T, nv]);
    g = g.map((x, i) => (after[i] === seen[i] ? x : Math.log(after[i] as number)));
  }
  const o = new Float32Array(T * nv * dv); // [T, nv, dv]
  for (let hv = 0; hv < nv; hv++) {
    const hk = Math.floor(hv / (nv / nk));
    const head = { q: gather(q, T, nk, dk, hk), k: gather(k, T, nk, dk, hk), v: gather(v, T, nv, dv, hv), beta: gather(beta, T, nv, 1, hv), g: gather(g, T, nv, 1, hv), T, dk, dv };
    const S = state.state.subarray(hv * dk * dv, (hv + 1) * dk * dv);
    const oh = T > 1 ? chunkedDeltaRule(head, S) : recurrentDeltaRule(head, S);
    for (let t = 0; t < T; t++) o.set(oh.subarray(t * dv, (t + 1) * dv), (t * nv + hv) * dv);
  }
  const out = hooks.run(name('hook_recurrence_out'), o, [1, T, nv, dv]);
  if (hooks.wants(name('hook_state'))) state.state = new Float32Array(hooks.run(name('hook_state'), state.state, [1, nv, dk, dv]));
  const z = hooks.run(name('hook_gate'), new Float32Array(p.z), [1, T, nv, dv]);
  return gatedRmsNorm(out, z, dv, w.norm, c.rmsNormEps);
}

/** Projections qg [T, H*2D], k, v [T, KV*D] -> y [T, H*D] (gated, before o_proj); appends to `cache`. */
export function jsAttentionCore(
  p: { readonly qg: Float32Array; readonly k: Float32Array; readonly v: Float32Array }, T: number, positions: readonly number[], w: { readonly qNorm: Float32Array; readonly kNorm: Float32Array },
  c: Qwen35Config, cache: AttentionCache, hooks: HookRunner, layer: number,
): Float32Array {
  const [H, KV, D] = [c.numAttentionHeads, c.numKeyValueHeads, c.headDim];
  const group = H / KV;
  const name = (x: string): HookName => `blocks.${layer}.attn.${x}` as HookName;
  let q: Float32Array = new Float32Array(T * H * D); // [T, H, D]
  let gate: Float32Array = new Float32Array(T * H * D); // [T, H, D]
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < H; h++) {
      const src = (t * H + h) * 2 * D;
      q.set(p.qg.subarray(src, src + D), (t * H + h) * D);
      gate.set(p.qg.subarray(src + D, src + 2 * D), (t * H + h) * D);
    }
  }
  q = hooks.run(name('hook_q'), rmsNorm1p(q, D, w.qNorm, c.rmsNormEps), [1, T, H, D]);
  const k = hooks.run(name('hook_k'), rmsNorm1p(p.k, D, w.kNorm, c.rmsNormEps), [1, T, KV, D]);
  const rq = hooks.run(name('hook_rot_q'), applyRope(q, T, H, D, positions, c.rotaryDim, c.ropeTheta), [1, T, H, D]);
  const rk = hooks.run(name('hook_rot_k'), applyRope(k, T, KV, D, positions, c.rotaryDim, c.ropeTheta), [1, T, KV, D]);
  const v = hooks.run(name('hook_v'), new Float32Array(p.v), [1, T, KV, D]);
  gate = hooks.run(name('hook_gate'), gate, [1, T, H, D]);
  const past = cache.length;
  cache.append(rk, v, T);
  const Tk = past + T;
  const keys = cache.keys();
  const values = cache.values();
  let pattern: Float32Array = new Float32Array(H * T * Tk); // [H, T, Tk]
  const scale = 1 / Math.sqrt(D);
  for (let h = 0; h < H; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      const row = pattern.subarray((h * T + t) * Tk, (h * T + t + 1) * Tk);
      let m = -Infinity;
      for (let j = 0; j <= past + t; j++) {
        let s = 0;
        for (let i = 0; i < D; i++) s += (rq[(t * H + h) * D + i] as number) * (keys[(j * KV + kvh) * D + i] as number);
        row[j] = s * scale;
        m = Math.max(m, row[j] as number);
      }
      let z = 0;
      for (let j = 0; j <= past + t; j++) z += (row[j] = Math.exp((row[j] as number) - m));
      for (let j = 0; j <= past + t; j++) row[j] = (row[j] as number) / z;
    }
  }
  pattern = hooks.run(name('hook_pattern'), pattern, [1, H, T, Tk]);
  let zOut: Float32Array = new Float32Array(T * H * D); // [T, H, D]
  for (let h = 0; h < H; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j <= past + t; j++) {
        const pj = pattern[(h * T + t) * Tk + j] as number;
        for (let i = 0; i < D; i++) zOut[(t * H + h) * D + i] = (zOut[(t * H + h) * D + i] as number) + pj * (values[(j * KV + kvh) * D + i] as number);
      }
    }
  }
  zOut = hooks.run(name('hook_z'), zOut, [1, T, H, D]);
  for (let i = 0; i < zOut.length; i++) zOut[i] = (zOut[i] as number) * sigmoid(gate[i] as number);
  return zOut;
}

function l2NormRows(x: Float32Array, dim: number, scale: number): void {
  for (let o = 0; o < x.length; o += dim) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += (x[o + i] as number) ** 2;
    const inv = scale / Math.sqrt(ss + 1e-6);
    for (let i = 0; i < dim; i++) x[o + i] = (x[o + i] as number) * inv;
  }
}

function gather(x: Float32Array, T: number, heads: number, dim: number, h: number): Float32Array {
  const out = new Float32Array(T * dim);
  for (let t = 0; t < T; t++) out.set(x.subarray((t * heads + h) * dim, (t * heads + h + 1) * dim), t * dim);
  return out;
}
