/**
 * The model's building blocks as ONNX subgraphs: the (1 + w) RMSNorm, SiLU, L2 normalisation, and a weight
 * projection y = x W^T at a chosen precision (float32 MatMul on a transposed initializer, float16 MatMul between
 * casts, or the int8 `MatMulNBits` contrib kernel), so that onnxruntime prepacks every weight once.
 */
import type { GraphBuilder } from './graph-builder.js';
import { INT8_BLOCK, quantizeInt8, toFloat16, transpose, type WeightPrecision } from './precision.js';

/** x [..., dim] -> x / sqrt(mean(x^2) + eps) * scale, where `scale` is a [dim] value (already 1 + w where needed). */
export function rmsNorm(g: GraphBuilder, x: string, scale: string, eps: number): string {
  const ms = g.node('ReduceMean', [g.node('Mul', [x, x]), g.const([-1])], { keepdims: 1 }); // [..., 1]
  const inv = g.node('Reciprocal', [g.node('Sqrt', [g.node('Add', [ms, g.scalar(eps)])])]);
  return g.node('Mul', [g.node('Mul', [x, inv]), scale]);
}

/** x * sigmoid(x). */
export function silu(g: GraphBuilder, x: string): string {
  return g.node('Mul', [x, g.node('Sigmoid', [x])]);
}

/** Each row of the last axis: x / sqrt(sum(x^2) + 1e-6) * scale (the DeltaNet q/k normalisation). */
export function l2Norm(g: GraphBuilder, x: string, scale: number): string {
  const ss = g.node('ReduceSum', [g.node('Mul', [x, x]), g.const([-1])], { keepdims: 1 });
  const inv = g.node('Div', [g.scalar(scale), g.node('Sqrt', [g.node('Add', [ss, g.scalar(1e-6)])])]);
  return g.node('Mul', [x, inv]);
}

/** Slices x along `axis` from `start` to `end`. */
export function slice(g: GraphBuilder, x: string, axis: number, start: number, end: number): string {
  return g.node('Slice', [x, g.const([start]), g.const([end]), g.const([axis])]);
}

/** Reshape to a fixed shape (0 keeps a dimension, -1 infers one). */
export function reshape(g: GraphBuilder, x: string, shape: readonly number[]): string {
  return g.node('Reshape', [x, g.const(shape)]);
}

/**
 * y = x W^T for x [rows, K] and W [N, K] (PyTorch layout), with W stored as an initializer at `precision`.
 *
 * @returns the name of y [rows, N] (float32)
 */
export function project(g: GraphBuilder, x: string, w: Float32Array, N: number, K: number, precision: WeightPrecision, name: string, asStored = false): string {
  if (precision === 'int8') {
    const q = quantizeInt8(w, N, K);
    const data = g.initializer(`${name}_q`, 'uint8', [N, q.blocks, INT8_BLOCK], q.data);
    const scales = g.floats(`${name}_scales`, [N * q.blocks], q.scales);
    return g.node('MatMulNBits', [x, data, scales], { K, N, bits: 8, block_size: INT8_BLOCK, accuracy_level: 4 }, 'com.microsoft');
  }
  if (precision === 'fp16') {
    const half = toFloat16(transpose(w, N, K)); // [K, N]
    const init = g.initializer(name, 'float16', [K, N], new Uint8Array(half.buffer));
    const xh = g.node('Cast', [x], { to: 10 });
    return g.node('Cast', [g.node('MatMul', [xh, init])], { to: 1 });
  }
  // MatMul on W^T prepacks best (measured ~20% faster than Gemm at 8-64 rows); `asStored` (the head) uses Gemm with
  // transB on W as stored, so the 1 GB embedding is never copied to be transposed.
  if (asStored) return g.node('Gemm', [x, g.floats(name, [N, K], w)], { transB: 1 });
  return g.node('MatMul', [x, g.floats(name, [K, N], transpose(w, N, K))]);
}
