/**
 * The few numeric kernels the reference engine needs, on flat row-major float32 arrays. Sums run in
 * float64 (plain JS numbers) and are stored as float32.
 */

/** y = x W^T: x [rows, inDim], W [outDim, inDim] -> y [rows, outDim]. */
export function linear(x: Float32Array, rows: number, inDim: number, w: Float32Array, outDim: number): Float32Array {
  const y = new Float32Array(rows * outDim); // [rows, out]
  for (let r = 0; r < rows; r++) {
    const xo = r * inDim;
    for (let o = 0; o < outDim; o++) {
      const wo = o * inDim;
      let s = 0;
      for (let i = 0; i < inDim; i++) s += (x[xo + i] as number) * (w[wo + i] as number);
      y[r * outDim + o] = s;
    }
  }
  return y;
}

/** Over each row of `dim` values, into a new array: x / sqrt(mean(x^2) + eps) * (1 + w). The Qwen3.5 "1 + weight" RMSNorm. */
export function rmsNorm1p(x: Float32Array, dim: number, w: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += dim) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += (x[o + i] as number) ** 2;
    const inv = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) y[o + i] = (x[o + i] as number) * inv * (1 + (w[i] as number));
  }
  return y;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const silu = (x: number): number => x / (1 + Math.exp(-x));
/** torch.nn.functional.softplus with beta 1, threshold 20. */
export const softplus = (x: number): number => (x > 20 ? x : Math.log1p(Math.exp(x)));

/** Elementwise a += b. */
export function addInPlace(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
}

/** log-softmax of one row. */
export function logSoftmax(row: Float32Array): Float64Array {
  let m = -Infinity;
  for (const v of row) m = Math.max(m, v);
  let z = 0;
  for (const v of row) z += Math.exp(v - m);
  const lz = m + Math.log(z);
  return Float64Array.from(row, (v) => v - lz);
}
