/**
 * The two RMSNorms of Qwen3.5. `rmsNorm1p` is the zero-centred "1 + weight" norm used for the block norms,
 * the final norm and the attention q/k norms (a stored weight of 0 is the identity). `gatedRmsNorm` is the
 * Gated DeltaNet output norm: a plain weight and a SiLU gate applied after normalising.
 */
import { silu } from './internal/ops.js';

/**
 * Over each row of `dim` values: y = x / sqrt(mean(x^2) + eps) * (1 + w). The sum of squares runs in float64.
 *
 * @param x [rows, dim], row-major
 * @param w [dim], the stored offset from 1
 * @returns a new [rows, dim] array
 * @example
 * rmsNorm1p(Float32Array.of(3, 4), 2, Float32Array.of(0, 1), 0) // [3 / 3.5355, 2 * 4 / 3.5355]
 */
export function rmsNorm1p(x: Float32Array, dim: number, w: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(x.length); // [rows, dim]
  for (let o = 0; o < x.length; o += dim) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += (x[o + i] as number) ** 2;
    const inv = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) y[o + i] = (x[o + i] as number) * inv * (1 + (w[i] as number));
  }
  return y;
}

/**
 * Over each row of `dim` values: y = x / sqrt(mean(x^2) + eps) * w * silu(z). Normalise first, then gate;
 * the weight is used as-is (not 1 + w) and the gate is SiLU (not sigmoid).
 *
 * @param x [rows, dim], e.g. the delta-rule output [pos, nv, dv] with dim = dv
 * @param z [rows, dim], the gate input
 * @param w [dim]
 * @returns a new [rows, dim] array
 * @example
 * gatedRmsNorm(Float32Array.of(3, 4), Float32Array.of(0, 20), 2, Float32Array.of(1, 1), 0) // [0, ~20 * 4 / 3.5355]
 */
export function gatedRmsNorm(x: Float32Array, z: Float32Array, dim: number, w: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(x.length); // [rows, dim]
  for (let o = 0; o < x.length; o += dim) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += (x[o + i] as number) ** 2;
    const inv = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) y[o + i] = (x[o + i] as number) * inv * (w[i] as number) * silu(z[o + i] as number);
  }
  return y;
}
