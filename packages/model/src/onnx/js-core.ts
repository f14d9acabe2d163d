/**
 * The mixer cores in plain JS, for a layer where a hook function or an intervention edits an activation inside
 * the mixer: the same steps as the reference engine's `gatedDeltaNet` / `gatedAttention` from the projections on
 * (those come from the onnx input segment), with every hook point passed through the call's `HookRunner`.
 * The DeltaNet core is the reference engine's own `deltaNetCore`; attention uses its norms and RoPE.
 */
import type { HookName } from '@trustbench/core';
import type { DeltaNetState } from '../cache.js';
import type { Qwen35Config } from '../config.js';
import { deltaNetCore, type DeltaNetProjections, type DeltaNetSmall } from '../gated-delta-net.js';
import type { HookRunner } from '../hook-runner.js';
import { sigmoid } from '../internal/ops.js';
import { rmsNorm1p } from '../rms-norm.js';
import { applyRope } from '../rope.js';
import type { AttentionCache } from './state.js';

/** Projections [T, conv_dim], z [T, nv*dv], b, a [T, nv] -> y [T, nv*dv] (before out_proj); updates `state`. */
export function jsDeltaNetCore(p: DeltaNetProjections, T: number, w: DeltaNetSmall, c: Qwen35Config, state: DeltaNetState, hooks: HookRunner, layer: number): Float32Array {
  return deltaNetCore({ ...p, z: new Float32Array(p.z) }, T, w, c, state, hooks, layer); // z: a copy, the onnx output is not the hooks' to edit
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
