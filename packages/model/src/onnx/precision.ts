/**
 * Weight precisions of the onnx engine and the conversions that produce them: float32 (exact), float16
 * (round to nearest even; matmuls run in float16 on the CPU), and int8 (blockwise symmetric quantisation in
 * the layout of onnxruntime's `MatMulNBits` contrib kernel, 8 bits, one float scale per block of 32 inputs).
 * Activations, norms, gates and the delta-rule state stay float32 at every precision.
 */
import { ConfigError } from '@trustbench/core';

/** Storage and compute precision of the projection and head matrices. */
export type WeightPrecision = 'fp32' | 'fp16' | 'int8';

/** The precisions `--precision` accepts. */
export const WEIGHT_PRECISIONS: readonly WeightPrecision[] = ['fp32', 'fp16', 'int8'];

/** Inputs per quantisation block of the int8 format. */
export const INT8_BLOCK = 32;

/**
 * Checks a user-given precision.
 *
 * @throws {ConfigError} naming the accepted values.
 * @example
 * parsePrecision('fp16') // 'fp16'
 */
export function parsePrecision(value: string): WeightPrecision {
  if ((WEIGHT_PRECISIONS as readonly string[]).includes(value)) return value as WeightPrecision;
  throw new ConfigError(`precision must be one of ${WEIGHT_PRECISIONS.join(', ')}, got "${value}"`);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of a float32, rounded to nearest even (overflow to infinity). */
export function toHalfBits(x: number): number {
  f32[0] = x;
  const bits = u32[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

/** A float32 array as float16 bits. */
export function toFloat16(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = toHalfBits(data[i] as number);
  return out;
}

/** The pieces of one `MatMulNBits` weight (bits 8, symmetric: the default zero point 128). */
export interface Int8Blocks {
  /** [N, ceil(K / block), block] uint8, value = round(w / scale) + 128. */
  readonly data: Uint8Array;
  /** [N * ceil(K / block)] float32. */
  readonly scales: Float32Array;
  readonly blocks: number;
}

/**
 * Quantises W [N, K] (PyTorch layout, y = x W^T) blockwise along K.
 *
 * @example
 * const q = quantizeInt8(w, outDim, inDim);
 */
export function quantizeInt8(w: Float32Array, N: number, K: number, block = INT8_BLOCK): Int8Blocks {
  const blocks = Math.ceil(K / block);
  const data = new Uint8Array(N * blocks * block).fill(128);
  const scales = new Float32Array(N * blocks);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < blocks; b++) {
      const lo = n * K + b * block;
      const hi = n * K + Math.min(K, (b + 1) * block);
      let m = 0;
      for (let i = lo; i < hi; i++) m = Math.max(m, Math.abs(w[i] as number));
      const scale = m / 127;
      scales[n * blocks + b] = scale;
      if (scale === 0) continue;
      const inv = 1 / scale;
      const at = (n * blocks + b) * block;
      for (let i = lo; i < hi; i++) data[at + i - lo] = Math.max(1, Math.min(255, Math.round((w[i] as number) * inv) + 128));
    }
  }
  return { data, scales, blocks };
}

/** W [N, K] -> W^T [K, N]. */
export function transpose(w: Float32Array, N: number, K: number): Float32Array {
  const out = new Float32Array(K * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) out[k * N + n] = w[n * K + k] as number;
  return out;
}
