/**
 * Partial rotary position embedding, rotate-half (NeoX) layout: only the first `rotaryDim` dims of each
 * head rotate; inv_freq[i] = theta^(-2i / rotaryDim). For text, Qwen3.5's interleaved M-RoPE equals
 * ordinary 1-D RoPE because its three position grids coincide.
 */

/**
 * Applies RoPE to x [T, heads, headDim], returning a new array.
 *
 * @example
 * applyRope(q, 7, 4, 32, [0, 1, 2, 3, 4, 5, 6], 8, 1e7)
 */
export function applyRope(x: Float32Array, T: number, heads: number, headDim: number, positions: readonly number[], rotaryDim: number, theta: number): Float32Array {
  const y = new Float32Array(x); // [T, heads, headDim]
  const half = rotaryDim / 2;
  for (let t = 0; t < T; t++) {
    const pos = positions[t] as number;
    for (let i = 0; i < half; i++) {
      const angle = pos * theta ** ((-2 * i) / rotaryDim);
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const o = (t * heads + h) * headDim;
        const x1 = x[o + i] as number;
        const x2 = x[o + i + half] as number;
        y[o + i] = x1 * cos - x2 * sin;
        y[o + i + half] = x2 * cos + x1 * sin;
      }
    }
  }
  return y;
}
