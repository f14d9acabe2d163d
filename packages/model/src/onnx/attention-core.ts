/**
 * The weight-free gated-attention core of one sequence as an ONNX graph: split of the per-head [query | gate]
 * projection, (1 + w) RMSNorm of q and k, partial rotate-half RoPE (cos/sin of the positions are inputs), causal
 * GQA softmax attention over the cached keys plus the new ones, and the sigmoid output gate. The q/k norm weights
 * are run-time inputs, so one compiled core serves every attention layer. Requested hook points become extra
 * outputs named `read:<point>`; interventions compile in (core-edits.ts).
 */
import type { AttnHookPoint } from '@trustbench/core';
import type { Qwen35Config } from '../config.js';
import { applyEdits, type EditKinds } from './core-edits.js';
import { GraphBuilder, type GraphBytes } from './graph-builder.js';
import { reshape, rmsNorm, slice } from './graph-ops.js';

/** Shapes of the hook points (without the batch axis) for T new tokens and Tk keys in all. */
export function attentionShape(point: AttnHookPoint, T: number, Tk: number, c: Qwen35Config): number[] {
  const [H, KV, D] = [c.numAttentionHeads, c.numKeyValueHeads, c.headDim];
  if (point === 'hook_pattern') return [H, T, Tk];
  return [T, point === 'hook_k' || point === 'hook_rot_k' || point === 'hook_v' ? KV : H, D];
}

/**
 * Builds the core. Inputs: `qg` [T, H*2*D], `k`, `v` [T, KV*D], `past_k`, `past_v` [Tp, KV, D], `cos`, `sin`
 * [T, rotary/2], `q_norm`, `k_norm` [D] (already 1 + w). Outputs: `y` [T, H*D] (gated, before o_proj), `new_k`
 * (after RoPE) and `new_v` [T, KV, D] to append to the cache, and `read:<point>` per requested read.
 */
export function attentionCoreGraph(c: Qwen35Config, reads: ReadonlySet<AttnHookPoint>, edits: ReadonlyMap<AttnHookPoint, EditKinds> = new Map()): GraphBytes {
  const g = new GraphBuilder();
  const [H, KV, D, rot] = [c.numAttentionHeads, c.numKeyValueHeads, c.headDim, c.rotaryDim];
  const group = H / KV;
  const qg = g.input('qg', 'float32', ['T', H * 2 * D]);
  const kIn = g.input('k', 'float32', ['T', KV * D]);
  const vIn = g.input('v', 'float32', ['T', KV * D]);
  const pastK = g.input('past_k', 'float32', ['Tp', KV, D]);
  const pastV = g.input('past_v', 'float32', ['Tp', KV, D]);
  const cos = g.node('Unsqueeze', [g.input('cos', 'float32', ['T', rot / 2]), g.const([1])]); // [T, 1, rot/2]
  const sin = g.node('Unsqueeze', [g.input('sin', 'float32', ['T', rot / 2]), g.const([1])]);
  const qNorm = g.input('q_norm', 'float32', [D]);
  const kNorm = g.input('k_norm', 'float32', [D]);
  const tap = (point: AttnHookPoint, value: string): string => {
    const kinds = edits.get(point);
    const x = kinds ? applyEdits(g, point, value, 3, kinds) : value;
    if (reads.has(point)) {
      g.alias(x, `read:${point}`);
      g.output(`read:${point}`, 'float32');
    }
    return x;
  };
  const perHead = reshape(g, qg, [-1, H, 2, D]); // [T, H, 2, D]: per head, D query values then D gate values
  const pick = (i: number) => g.node('Squeeze', [slice(g, perHead, 2, i, i + 1), g.const([2])]); // [T, H, D]
  const q = tap('hook_q', rmsNorm(g, pick(0), qNorm, c.rmsNormEps)); // [T, H, D]
  const k = tap('hook_k', rmsNorm(g, reshape(g, kIn, [-1, KV, D]), kNorm, c.rmsNormEps)); // [T, KV, D]
  const rope = (x: string): string => {
    const x1 = slice(g, x, 2, 0, rot / 2);
    const x2 = slice(g, x, 2, rot / 2, rot);
    const parts = [g.node('Sub', [g.node('Mul', [x1, cos]), g.node('Mul', [x2, sin])]), g.node('Add', [g.node('Mul', [x2, cos]), g.node('Mul', [x1, sin])])];
    if (rot < D) parts.push(slice(g, x, 2, rot, D));
    return g.node('Concat', parts, { axis: 2 });
  };
  const rq = tap('hook_rot_q', rope(q)); // [T, H, D]
  const rk = tap('hook_rot_k', rope(k)); // [T, KV, D]
  const v = tap('hook_v', reshape(g, vIn, [-1, KV, D])); // [T, KV, D]
  const gate = tap('hook_gate', pick(1)); // [T, H, D]
  g.alias(rk, 'new_k');
  g.output('new_k', 'float32', ['T', KV, D]);
  g.alias(v, 'new_v');
  g.output('new_v', 'float32', ['T', KV, D]);
  const keys = g.node('Concat', [pastK, rk], { axis: 0 }); // [Tk, KV, D]
  const values = g.node('Concat', [pastV, v], { axis: 0 }); // [Tk, KV, D]
  const expand = (x: string, perm: number[]): string => {
    const t = g.node('Unsqueeze', [g.node('Transpose', [x], { perm }), g.const([1])]); // [KV, 1, a, b]
    const shape = g.node('Concat', [g.const([KV, group]), g.node('Shape', [t], { start: 2 })], { axis: 0 });
    return g.node('Reshape', [g.node('Expand', [t, shape]), g.node('Concat', [g.const([H]), g.node('Shape', [t], { start: 2 })], { axis: 0 })]); // [H, a, b]: head h reads kv head h // group
  };
  const kT = expand(keys, [1, 2, 0]); // [H, D, Tk]
  const vH = expand(values, [1, 0, 2]); // [H, Tk, D]
  const qH = g.node('Transpose', [rq], { perm: [1, 0, 2] }); // [H, T, D]
  const scores = g.node('Mul', [g.node('MatMul', [qH, kT]), g.scalar(1 / Math.sqrt(D))]); // [H, T, Tk]
  const Tk = g.node('Squeeze', [g.node('Shape', [keys], { start: 0, end: 1 }), g.const([0])]); // scalar
  const T = g.node('Squeeze', [g.node('Shape', [qg], { start: 0, end: 1 }), g.const([0])]);
  const past = g.node('Sub', [Tk, T]);
  const zero = g.const([0], 'int64', []);
  const one = g.const([1], 'int64', []);
  const keyIdx = g.node('Range', [zero, Tk, one]); // [Tk]
  const lastSeen = g.node('Unsqueeze', [g.node('Add', [g.node('Range', [zero, T, one]), past]), g.const([1])]); // [T, 1]: query t sees keys 0..past+t
  const visible = g.node('LessOrEqual', [keyIdx, lastSeen]); // [T, Tk]
  const pattern = tap('hook_pattern', g.node('Softmax', [g.node('Where', [visible, scores, g.scalar(-Infinity)])], { axis: -1 })); // [H, T, Tk]
  const z = tap('hook_z', g.node('Transpose', [g.node('MatMul', [pattern, vH])], { perm: [1, 0, 2] })); // [T, H, D]: before the output gate
  g.alias(reshape(g, g.node('Mul', [z, g.node('Sigmoid', [gate])]), [-1, H * D]), 'y');
  g.output('y', 'float32', ['T', H * D]);
  return g.build();
}
