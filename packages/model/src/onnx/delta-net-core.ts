/**
 * The weight-free Gated DeltaNet core of one sequence as an ONNX graph: causal depthwise conv over the cached
 * window + SiLU, L2-normalised q/k, beta and log-decay gates, the gated delta rule, and the gated RMSNorm. The
 * small per-layer tensors (conv taps, -exp(A_log), dt_bias, norm weight) are run-time inputs, so one compiled
 * core serves every DeltaNet layer.
 *
 * Decode (one token) runs the recurrence. Prefill runs the chunked form (chunk 64, the sequence right-padded to
 * `chunks * 64` with beta = g = 0): within a chunk (I + A)^-1 is the finite Neumann series of the strictly lower
 * A, evaluated as (I - A)(I + A^2)(I + A^4)...(I + A^32); the state passes from chunk to chunk in an unrolled
 * chain. Requested hook points become extra outputs named `read:<point>`; interventions compile in (core-edits.ts).
 */
import type { LinearAttnHookPoint } from '@trustbench/core';
import type { Qwen35Config } from '../config.js';
import { convDim } from '../weight-map.js';
import { applyEdits, type EditKinds } from './core-edits.js';
import { GraphBuilder, type GraphBytes } from './graph-builder.js';
import { l2Norm, reshape, rmsNorm, silu, slice } from './graph-ops.js';

/** Chunk length of the prefill form. */
export const CHUNK = 64;

/** `recurrent`: one token; `chunked`: any length up to `chunks * 64`. */
export type DeltaNetMode = { readonly kind: 'recurrent' } | { readonly kind: 'chunked'; readonly chunks: number };

/** Shapes of the hook reads (without the batch axis), for a sequence of T tokens. */
export function deltaNetReadShape(point: LinearAttnHookPoint, T: number, c: Qwen35Config): number[] {
  const [nk, nv, dk, dv] = [c.linearNumKeyHeads, c.linearNumValueHeads, c.linearKeyHeadDim, c.linearValueHeadDim];
  const shapes: Record<LinearAttnHookPoint, number[]> = {
    hook_conv_out: [T, convDim(c)], hook_q: [T, nk, dk], hook_k: [T, nk, dk], hook_v: [T, nv, dv], hook_beta: [T, nv], hook_log_decay: [T, nv],
    hook_decay: [T, nv], hook_recurrence_out: [T, nv, dv], hook_gate: [T, nv, dv], hook_state: [nv, dk, dv],
  };
  return shapes[point];
}

/**
 * Builds the core. Inputs: `mixed` [T, conv_dim], `z` [T, nv*dv], `b`, `a` [T, nv], `conv_state` [K-1, conv_dim],
 * `state` [nv, dk, dv], `conv_w` [conv_dim, 1, K], `neg_a` [nv], `dt_bias` [nv], `norm_w` [dv].
 * Outputs: `y` [T, nv*dv], `conv_state_out`, `state_out`, and `read:<point>` per requested read.
 * The recurrent core is batched instead: the leading axis is B sequences of one token each, and `conv_state` /
 * `state` carry it too ([B, K-1, conv_dim], [B, nv, dk, dv]); reads and edits need B = 1.
 */
export function deltaNetCoreGraph(c: Qwen35Config, mode: DeltaNetMode, reads: ReadonlySet<LinearAttnHookPoint>, edits: ReadonlyMap<LinearAttnHookPoint, EditKinds> = new Map()): GraphBytes {
  const g = new GraphBuilder();
  const [nk, nv, dk, dv, K] = [c.linearNumKeyHeads, c.linearNumValueHeads, c.linearKeyHeadDim, c.linearValueHeadDim, c.linearConvKernelDim];
  const C = convDim(c);
  const mixed = g.input('mixed', 'float32', ['T', C]);
  const z = g.input('z', 'float32', ['T', nv * dv]);
  const b = g.input('b', 'float32', ['T', nv]);
  const a = g.input('a', 'float32', ['T', nv]);
  const batched = mode.kind === 'recurrent';
  const convState = g.input('conv_state', 'float32', batched ? ['T', K - 1, C] : [K - 1, C]);
  const state = g.input('state', 'float32', batched ? ['T', nv, dk, dv] : [nv, dk, dv]);
  const convW = g.input('conv_w', 'float32', [C, 1, K]);
  const negA = g.input('neg_a', 'float32', [nv]);
  const dtBias = g.input('dt_bias', 'float32', [nv]);
  const normW = g.input('norm_w', 'float32', [dv]);
  const tap = (point: LinearAttnHookPoint, value: string): string => {
    const kinds = edits.get(point);
    const x = kinds ? applyEdits(g, point, value, point === 'hook_conv_out' || point === 'hook_beta' || point === 'hook_log_decay' || point === 'hook_decay' ? 2 : 3, kinds) : value;
    if (reads.has(point)) {
      g.alias(x, `read:${point}`);
      g.output(`read:${point}`, 'float32');
    }
    return x;
  };

  const conv = tap('hook_conv_out', batched ? convStep(g, mixed, convState, convW, C, K) : convPrefill(g, mixed, convState, convW, C, K)); // [T, conv_dim]
  const q = tap('hook_q', l2Norm(g, reshape(g, slice(g, conv, 1, 0, nk * dk), [-1, nk, dk]), 1 / Math.sqrt(dk))); // [T, nk, dk]
  const k = tap('hook_k', l2Norm(g, reshape(g, slice(g, conv, 1, nk * dk, 2 * nk * dk), [-1, nk, dk]), 1)); // [T, nk, dk]
  const v = tap('hook_v', reshape(g, slice(g, conv, 1, 2 * nk * dk, C), [-1, nv, dv])); // [T, nv, dv]
  const beta = tap('hook_beta', g.node('Sigmoid', [b])); // [T, nv]
  let logDecay = tap('hook_log_decay', g.node('Mul', [negA, g.node('Softplus', [g.node('Add', [a, dtBias])])])); // [T, nv]: g <= 0
  if (reads.has('hook_decay') || edits.has('hook_decay')) {
    const decay = g.node('Exp', [logDecay]); // [T, nv]
    const after = tap('hook_decay', decay);
    if (edits.has('hook_decay')) logDecay = g.node('Where', [g.node('Equal', [after, decay]), logDecay, g.node('Log', [after])]); // only edited decays move g
  }
  const perKey = nv / nk;
  const expand = (x: string): string => (perKey === 1 ? x : reshape(g, g.node('Expand', [g.node('Unsqueeze', [x, g.const([2])]), g.const([1, nk, perKey, dk])]), [-1, nv, dk])); // [T, nv, dk]: value head h reads key head h // perKey
  const [o, S] = mode.kind === 'recurrent'
    ? recurrent(g, expand(q), expand(k), v, beta, logDecay, state, c) // [T, nv, dv], [nv, dk, dv]
    : chunked(g, expand(q), expand(k), v, beta, logDecay, state, c, mode.chunks, mixed);
  const out = tap('hook_recurrence_out', o);
  const stateHooked = reads.has('hook_state') || edits.has('hook_state');
  g.alias(stateHooked && batched ? reshape(g, tap('hook_state', reshape(g, S, [nv, dk, dv])), [1, nv, dk, dv]) : stateHooked ? tap('hook_state', S) : S, 'state_out');
  g.output('state_out', 'float32', batched ? ['T', nv, dk, dv] : [nv, dk, dv]);
  const gate = tap('hook_gate', reshape(g, z, [-1, nv, dv])); // [T, nv, dv]
  const y = g.node('Mul', [rmsNorm(g, out, normW, c.rmsNormEps), silu(g, gate)]); // [T, nv, dv]: normalise, * weight, * silu(z)
  g.alias(reshape(g, y, [-1, nv * dv]), 'y');
  g.output('y', 'float32', ['T', nv * dv]);
  return g.build();
}

/**
 * Prefill conv: the K taps as shifted slices of [window ++ x] (tap K-1 is the current token), summed in tap order,
 * then SiLU. Writes `conv_state_out`. (onnxruntime's grouped Conv took a third of the whole core here.)
 */
function convPrefill(g: GraphBuilder, x: string, window: string, w: string, C: number, K: number): string {
  const rows = g.node('Concat', [window, x], { axis: 0 }); // [K-1+T, conv_dim]
  g.alias(slice(g, rows, 0, -(K - 1), Number.MAX_SAFE_INTEGER), 'conv_state_out');
  g.output('conv_state_out', 'float32', [K - 1, C]);
  const taps = g.node('Transpose', [reshape(g, w, [C, K])], { perm: [1, 0] }); // [K, conv_dim]
  let sum = '';
  for (let j = 0; j < K; j++) {
    const shifted = slice(g, rows, 0, j, j === K - 1 ? Number.MAX_SAFE_INTEGER : -(K - 1 - j)); // rows j .. j+T-1
    const term = g.node('Mul', [shifted, slice(g, taps, 0, j, j + 1)]); // [T, conv_dim]
    sum = j === 0 ? term : g.node('Add', [sum, term]);
  }
  return silu(g, sum);
}

/** One token per sequence: sum over taps of w * [window ++ x], then SiLU. Writes `conv_state_out` [B, K-1, conv_dim]. */
function convStep(g: GraphBuilder, x: string, window: string, w: string, C: number, K: number): string {
  const rows = g.node('Concat', [window, g.node('Unsqueeze', [x, g.const([1])])], { axis: 1 }); // [B, K, conv_dim]
  g.alias(slice(g, rows, 1, 1, K), 'conv_state_out');
  g.output('conv_state_out', 'float32', ['T', K - 1, C]);
  const taps = g.node('Transpose', [reshape(g, w, [C, K])], { perm: [1, 0] }); // [K, conv_dim]
  return silu(g, g.node('ReduceSum', [g.node('Mul', [rows, taps]), g.const([1])], { keepdims: 0 })); // [B, conv_dim]
}

/**
 * One token per sequence, reading S once before it is written: with y = exp(g), [k; q]^T S gives both k^T S and
 * q^T S, so u = y k^T S, delta = beta (v - u), o = y q^T S + (q . k) delta, and S' = y S + k delta^T (the same
 * values as decaying S first). S is [B, nv, dk, dv].
 */
function recurrent(g: GraphBuilder, q: string, k: string, v: string, beta: string, logDecay: string, S: string, c: Qwen35Config): [string, string] {
  const nv = c.linearNumValueHeads;
  const row = (x: string) => g.node('Unsqueeze', [x, g.const([2])]); // [B, nv, d] -> [B, nv, 1, d]
  const [qh, kh] = [row(q), row(k)];
  const decay = reshape(g, g.node('Exp', [logDecay]), [-1, nv, 1, 1]);
  const betaH = reshape(g, beta, [-1, nv, 1, 1]);
  const [kS, qS] = g.nodeN('Split', [g.node('MatMul', [g.node('Concat', [kh, qh], { axis: 2 }), S]), g.const([1, 1])], 2, { axis: 2 }) as [string, string]; // [B, nv, 1, dv] each
  const delta = g.node('Mul', [betaH, g.node('Sub', [row(v), g.node('Mul', [decay, kS])])]); // [B, nv, 1, dv]
  const qk = g.node('ReduceSum', [g.node('Mul', [qh, kh]), g.const([-1])], { keepdims: 1 }); // [B, nv, 1, 1]
  const o = g.node('Squeeze', [g.node('Add', [g.node('Mul', [decay, qS]), g.node('Mul', [qk, delta])]), g.const([2])]); // [B, nv, dv]
  const S2 = g.node('Add', [g.node('Mul', [S, decay]), g.node('MatMul', [g.node('Transpose', [kh], { perm: [0, 1, 3, 2] }), delta])]); // [B, nv, dk, dv]
  return [o, S2];
}

/** The chunked form over `chunks` chunks of 64 (see the module comment). */
function chunked(g: GraphBuilder, q: string, k: string, v: string, beta: string, logDecay: string, S0: string, c: Qwen35Config, chunks: number, tRef: string): [string, string] {
  const [nv, dk, dv] = [c.linearNumValueHeads, c.linearKeyHeadDim, c.linearValueHeadDim];
  const P = chunks * CHUNK;
  const T = g.node('Slice', [g.node('Shape', [tRef]), g.const([0]), g.const([1])]); // [1]
  const padAmount = g.node('Sub', [g.const([P]), T]);
  const pad3 = (x: string) => g.node('Pad', [x, g.node('Concat', [g.const([0, 0, 0]), padAmount, g.const([0, 0])], { axis: 0 })]);
  const pad2 = (x: string) => g.node('Pad', [x, g.node('Concat', [g.const([0, 0]), padAmount, g.const([0])], { axis: 0 })]);
  const heads = (x: string, d: number) => reshape(g, g.node('Transpose', [pad3(x)], { perm: [1, 0, 2] }), [nv, chunks, CHUNK, d]); // [nv, n, C, d]
  const scalars = (x: string) => reshape(g, g.node('Transpose', [pad2(x)], { perm: [1, 0] }), [nv, chunks, CHUNK]); // [nv, n, C]
  const [qc, kc, vc] = [heads(q, dk), heads(k, dk), heads(v, dv)];
  const betaC = g.node('Unsqueeze', [scalars(beta), g.const([-1])]); // [nv, n, C, 1]
  const cum = g.node('CumSum', [scalars(logDecay), g.const([2], 'int64', [])]); // [nv, n, C]: c
  const lowerIncl = Array.from({ length: CHUNK * CHUNK }, (_, x) => (x % CHUNK <= Math.floor(x / CHUNK) ? 1 : 0));
  const maskIncl = g.initializer(g.name('mask'), 'bool', [CHUNK, CHUNK], Uint8Array.from(lowerIncl));
  const maskStrict = g.initializer(g.name('mask'), 'bool', [CHUNK, CHUNK], Uint8Array.from(lowerIncl, (m, x) => (m && x % CHUNK !== Math.floor(x / CHUNK) ? 1 : 0)));
  const eye = g.const(Array.from({ length: CHUNK * CHUNK }, (_, x) => (x % CHUNK === Math.floor(x / CHUNK) ? 1 : 0)), 'float32', [CHUNK, CHUNK]);
  const diff = g.node('Sub', [g.node('Unsqueeze', [cum, g.const([-1])]), g.node('Unsqueeze', [cum, g.const([-2])])]); // [nv, n, C, C]: c_i - c_j
  const D = g.node('Exp', [g.node('Where', [maskIncl, diff, g.scalar(-Infinity)])]); // exp(c_i - c_j) for j <= i, else 0
  const kT = g.node('Transpose', [kc], { perm: [0, 1, 3, 2] }); // [nv, n, dk, C]
  const kb = g.node('Mul', [kc, betaC]);
  const A = g.node('Where', [maskStrict, g.node('Mul', [g.node('MatMul', [kb, kT]), D]), g.scalar(0)]); // strictly lower (beta k k^T) o D
  const N = g.node('Neg', [A]);
  let inv = g.node('Add', [eye, N]);
  let power = N;
  for (let j = 1; (1 << j) < CHUNK; j++) {
    power = g.node('MatMul', [power, power]); // N^(2^j)
    inv = g.node('MatMul', [inv, g.node('Add', [eye, power])]);
  }
  const expC = g.node('Unsqueeze', [g.node('Exp', [cum]), g.const([-1])]); // [nv, n, C, 1]
  const U = g.node('MatMul', [inv, g.node('Mul', [vc, betaC])]); // [nv, n, C, dv]
  const W = g.node('MatMul', [inv, g.node('Mul', [kb, expC])]); // [nv, n, C, dk]
  const intra = g.node('Mul', [g.node('MatMul', [qc, kT]), D]); // [nv, n, C, C]
  const qe = g.node('Mul', [qc, expC]);
  const last = slice(g, cum, 2, CHUNK - 1, CHUNK); // [nv, n, 1]
  const kd = g.node('Transpose', [g.node('Mul', [kc, g.node('Unsqueeze', [g.node('Exp', [g.node('Sub', [last, cum])]), g.const([-1])])])], { perm: [0, 1, 3, 2] }); // [nv, n, dk, C]
  const decayAll = g.node('Unsqueeze', [g.node('Exp', [last]), g.const([-1])]); // [nv, n, 1, 1]
  let S = S0;
  const outs: string[] = [];
  for (let i = 0; i < chunks; i++) {
    const at = (x: string) => g.node('Gather', [x, g.const([i], 'int64', [])], { axis: 1 });
    const vNew = g.node('Sub', [at(U), g.node('MatMul', [at(W), S])]); // [nv, C, dv]
    outs.push(g.node('Add', [g.node('MatMul', [at(qe), S]), g.node('MatMul', [at(intra), vNew])])); // [nv, C, dv]
    S = g.node('Add', [g.node('Mul', [at(decayAll), S]), g.node('MatMul', [at(kd), vNew])]); // [nv, dk, dv]
  }
  const o = g.node('Transpose', [outs.length === 1 ? (outs[0] as string) : g.node('Concat', outs, { axis: 1 })], { perm: [1, 0, 2] }); // [P, nv, dv]
  return [g.node('Slice', [o, g.const([0]), T, g.const([0])]), S]; // [T, nv, dv]
}
